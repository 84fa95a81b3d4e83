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
    コマンド：/menu ダッシュボード、/cancel 操作の中止、/logout ログアウト、/language 言語の切り替え。
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
