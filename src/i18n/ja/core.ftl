welcome = OMNIPAY アシスタントへようこそ。会員登録、郵送されたカードの登録、チャージ、残高と入出金履歴の確認ができます。
menu-guest = ご用件をお選びください。
menu-member = ダッシュボード — { $username } さんとしてログイン中です。ご用件をお選びください。
help =
    OMNIPAY プリペイドカードについて、次のことをお手伝いします。
    • 会員登録、メールのコードによるアカウント有効化、ログイン
    • カード登録：郵送されたカードの登録（カード番号下4桁と初期暗証番号）
    • カードチャージ：ある通貨で支払い、別の通貨でカードにチャージ
    • 残高照会と入出金履歴
    • 暗証番号・パスワードの変更
    コマンド：/menu ダッシュボード、/cancel 操作の中止、/logout ログアウト、/language 言語の切り替え、/support サポート担当者への相談。
    一部のオンライン決済や店舗ではカードをご利用いただけない場合があります。
cancelled = 中止しました。変更はありません。
nothing-to-cancel = 中止する操作はありません。
not-understood = 申し訳ありません、理解できませんでした。下のボタンから選ぶか、/help を送ってください。
unknown-command = そのコマンドはありません。/help で使い方をご覧ください。
error-generic = 申し訳ありません、こちらで問題が発生しました。データは失われていません。もう一度お試しください。
session-expired = セキュリティのためセッションを終了しました。もう一度ログインしてください。
logged-out = ログアウトしました。
not-logged-in = ログインしていません。
login-required = 先にログインしてください。ログイン後すぐにご案内します。
already-logged-in = すでにログインしています。
language-choose = 言語を選んでください。
language-set = 言語を日本語に設定しました。
language-en = English
language-ja = 日本語
button-expired = このボタンは有効期限が切れています。最新のメッセージをお使いください。
button-no-effect = このボタンはこの段階では使えません。最新のメッセージのボタンを使うか、/menu を送ってください。
button-not-yours = このボタンは他の方のチャットのものなので、何も行いませんでした。ご自身のチャットのボタンをお使いください。
conversation-reset = 申し訳ありません、前回の続きから再開できなかったため、メニューに戻りました。データは失われていません。
conversation-expired = しばらく時間が経ったので、メニューから始めます。
busy = 少々お待ちください。前のメッセージを処理しています。
group-chat = セキュリティのため、個別チャットでのみお話しします。ボットとの個別チャットを開いてください。
slow-down = 送信が速すぎます。少し待ってからお試しください。
btn-menu = メニュー
btn-cancel = キャンセル
btn-back = 戻る
btn-ok = OK
menu-help = ヘルプ
menu-language = Language / 言語
menu-logout = ログアウト
conversation-updated = 会話の途中でアシスタントが更新されたため、その手続きはメニューからやり直しになります。データは失われていません。
turn-timeout = 申し訳ありません、処理に時間がかかりすぎたため中止し、メニューに戻りました。支払いや変更の途中だった場合は、やり直す前に結果（残高など）をご確認ください。
bot-updating = ただいまアシスタントを更新しています。1分ほどしてからもう一度お試しください。
# 画面の確定・キャンセルのボタンの代わりに入力された言葉（カンマ区切り。src/engine/typed.ts）。
typed-yes = はい, ええ, うん, オーケー
typed-no = いいえ, いや, ううん

## テキストを入力する場面での画像など（flows/root-flow-state.ts）。キャプションは答えとして読みません。
media-menu = ここでは{ $media ->
        [photo] 写真
        [sticker] スタンプ
        [voice] 音声メッセージ
        [document] ファイル
       *[other] そのメッセージ
    }を読み取れません。下のボタンからお選びいただくか、/help を送ってください。
media-type-answer = ここでは{ $media ->
        [photo] 写真
        [sticker] スタンプ
        [voice] 音声メッセージ
        [document] ファイル
       *[other] そのメッセージ
    }を読み取れません。上の質問への答えを文字で入力してください。
media-type-secret = ここでは{ $media ->
        [photo] 写真
        [sticker] スタンプ
        [voice] 音声メッセージ
        [document] ファイル
       *[other] そのメッセージ
    }を読み取れません。安全のため削除しました。上の質問への答えを文字で入力してください。
media-type-amount = ここでは{ $media ->
        [photo] 写真
        [sticker] スタンプ
        [voice] 音声メッセージ
        [document] ファイル
       *[other] そのメッセージ
    }を読み取れません。金額を数字で入力してください（例: 3000）。
media-type-period = ここでは{ $media ->
        [photo] 写真
        [sticker] スタンプ
        [voice] 音声メッセージ
        [document] ファイル
       *[other] そのメッセージ
    }を読み取れません。期間を mm/dd/yyyy で入力するか（例: 11/01/2026 - 11/30/2026）、ボタンをお使いください。
media-type-support = サポートにはテキストだけをお送りできるため、その{ $media ->
        [photo] 写真
        [sticker] スタンプ
        [voice] 音声メッセージ
        [document] ファイル
       *[other] メッセージ
    }はお送りしていません。言葉でお書きください。
