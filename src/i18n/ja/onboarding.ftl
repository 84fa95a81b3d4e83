# オンボーディング：会員登録、アクティベーション、ログイン、パスワード／ユーザー名を忘れた場合、パスワード変更。

menu-signup = 会員登録
menu-login = ログイン
menu-activate = アカウントを有効化
menu-forgot-password = パスワードを忘れた
menu-forgot-username = ユーザー名を忘れた
menu-change-password = パスワード変更

## オンボーディング共通
onb-type-answer = メッセージで入力してください。
onb-use-buttons = 下のボタンから選んでください。
onb-password-too-short = パスワードが短すぎます。10文字以上にしてください（例：blue-kettle-rain-42 のように単語を組み合わせる）。
onb-password-too-long = パスワードが長すぎます。128文字以内にしてください（例：blue-kettle-rain-42）。
onb-password-common = そのパスワードはよく使われているため推測されやすいです。別のパスワードにしてください（例：blue-kettle-rain-42）。
onb-password-contains-username = パスワードにユーザー名を含めることはできません。別のパスワードにしてください（例：blue-kettle-rain-42）。
onb-password-weak = そのパスワードは推測されやすいです。{ $warning ->
        [straightRow] キーボードで横に並んだキーは、最初に試されるものの一つです。
        [keyPattern] キーボード上の短いパターンは、最初に試されるものの一つです。
        [simpleRepeat] 「aaa」のような同じ文字の繰り返しは推測されやすいです。
        [extendedRepeat] 「abcabcabc」のようなパターンの繰り返しは推測されやすいです。
        [sequences] 「abc」や「6543」のような連続は推測されやすいです。
        [recentYears] 最近の年は推測されやすいです。
        [dates] 日付は推測されやすいです。
        [topTen] 最もよく使われているパスワード上位10件の一つです。
        [topHundred] 最もよく使われているパスワード上位100件の一つです。
        [common] よく使われているパスワードです。
        [similarToCommon] よく使われているパスワードによく似ています。
        [wordByItself] 単語一つだけでは推測されやすいです。
        [namesByThemselves] 名前や名字一つだけでは推測されやすいです。
        [commonNames] よくある名前や名字は推測されやすいです。
        [userInputs] ユーザー名など、あなた自身の情報をもとにしています。
        [pwned] 過去のデータ流出に含まれていたパスワードです。
       *[other] 推測されやすいパターンになっています。
    }{ $suggestion ->
        [l33t] 「a」を「@」にするような似た記号への置き換えは、あまり効果がありません。
        [reverseWords] よくある単語を逆さに綴っても、あまり効果がありません。
        [allUppercase] すべてではなく、一部の文字を大文字にしてください。
        [capitalization] 最初の文字以外も大文字にしてください。
        [dates] ご自身に関係のある日付や年は避けてください。
        [recentYears] 最近の年は避けてください。
        [associatedYears] ご自身に関係のある年は避けてください。
        [sequences] よくある文字の並びは避けてください。
        [repeated] 単語や文字の繰り返しは避けてください。
        [longerKeyboardPattern] キーボードのパターンを使うなら、長くして何度か向きを変えてください。
        [useWords] 複数の単語を使い、よくある言い回しは避けてください。
        [pwned] 他のサービスでも使っている場合は、そちらも変更してください。
       *[other] 単語をもう一つ二つ加えてください。あまり使われない単語ほど効果的です。
    }別のパスワードにしてください（例：blue-kettle-rain-42 のように関係のない単語を組み合わせる）。
onb-ask-password-again = 入力ミスがないか確認するため、新しいパスワードをもう一度入力してください。（メッセージは削除されます）
onb-password-mismatch = 最初に入力したパスワードと一致しません。同じパスワードをもう一度入力するか、別のパスワードを選んでください。
onb-choose-password-again = 別のパスワードにする
onb-code-unreadable = アクティベーションコードは8桁の数字です（例：12345678）。メールに記載のコードを貼り付けてください（スペースは含まれていても構いません）。
onb-code-wrong = コードが正しくありません。メールを確認してもう一度入力してください（残り{ $left }回）。コードは8桁の数字です（例：12345678）。
onb-code-older = そのコードは以前のメールのものです。最新のメールのコードのみ有効です（残り{ $left }回）。
onb-code-expired = コードの有効期限が切れています。［コードを再送］を押して、新しいメールのコードを使ってください。
onb-code-used = そのコードはすでに使用されています。［コードを再送］を押して新しいコードを受け取ってください。
onb-code-too-many = このコードの入力ミスが多すぎます。［コードを再送］を押して、新しいメールのコードを使ってください。
onb-code-resent = 新しいコードを送信しました。以前のメールのコードは使えなくなりました。
onb-code-resend-wait = 1分以内にコードを送信済みです。メールを確認するか、{ $seconds }秒後にもう一度お試しください。
onb-code-resend-limit = 過去1時間に送信したコードが多すぎます。{ $minutes }分後にもう一度お試しください。
onb-btn-resend = コードを再送
onb-btn-try-again = もう一度
onb-captcha-retry = 準備ができたら［もう一度］を押して新しい画像を表示してください。入力済みの内容はそのまま残っています。

## 会員登録
signup-intro = OMNIPAYのアカウントを作成します。5つの質問を1つずつお聞きします。/cancel でいつでも中止できます。
signup-ask-username = ユーザー名を決めてください。英字・数字・_・. の3〜32文字です（例：jane_doe）。ログインに使います。メールアドレスではありません。
signup-username-empty = ユーザー名を入力してください（例：jane_doe）。
signup-username-email = ユーザー名はメールアドレスではありません。英字・数字・_・. の3〜32文字で決めてください（例：jane_doe）。
signup-username-length = ユーザー名は3〜32文字です（例：jane_doe）。
signup-username-chars = ユーザー名に使えるのは英字A〜Z、数字、_ と . だけです（3〜32文字、例：jane_doe）。
signup-username-taken = そのユーザー名はすでに使われています。別のユーザー名にしてください（例：jane_doe_7）。
signup-password-again-after-username = ユーザー名が変わったので、パスワードをもう一度決めてください。
signup-ask-email = メールアドレスを入力してください（アクティベーションコードを送ります）。例：jane@example.com
signup-email-empty = メールアドレスを入力してください（例：jane@example.com）。
signup-email-invalid = メールアドレスの形式ではありません。アドレスを1つ入力してください（例：jane@example.com）。
signup-ask-name = 氏名を入力してください（例：山田 花子）。
signup-name-empty = 氏名を入力してください（例：山田 花子）。
signup-name-length = 氏名が長すぎます。100文字以内で入力してください（例：山田 花子）。
signup-name-chars = 氏名に使えるのは文字、スペース、' - . ・ だけです（例：山田 花子）。
signup-ask-password = パスワードを決めてください。10〜128文字で、よく使われるものやユーザー名を含むものは使えません（例：blue-kettle-rain-42 のように単語を組み合わせる）。メッセージは読み取り後すぐに削除されます。
signup-ask-password-again = パスワードをもう一度入力してください。（メッセージは削除されます）
signup-review =
    入力内容が正しいか確認してください：
    ユーザー名：{ $username }
    メールアドレス：{ $email }
    氏名：{ $fullName }
    パスワード：••••••••••
signup-btn-submit = 送信
signup-edit-username = ユーザー名を修正
signup-edit-email = メールアドレスを修正
signup-edit-name = 氏名を修正
signup-edit-password = パスワードを修正
signup-sent = ありがとうございます。{ $email } 宛てに確認メールを送信しました。メールに記載のアクティベーションコードをコピーしてここに貼り付けてください{ $link ->
        [yes] （メール内のリンクを開いても構いません）。
       *[no] 。
    }

## アクティベーション
activation-ask-username = 登録したユーザー名を入力してください（例：jane_doe）。
activation-link-invalid = そのリンクは有効期限切れか、すでに使用されています。代わりにユーザー名を入力してください。
activation-ask-code = 確認メールに記載の8桁のアクティベーションコードを貼り付けてください（例：12345678）。有効期限が切れている場合は［コードを再送］を押してください。メッセージは読み取り後すぐに削除されます。
activation-success = アクティベーションが完了しました。オンラインアカウントが利用可能になりました。［OK］を押してログインしてください。
activation-failed = 申し訳ありません。アカウントを有効化できませんでした。もう一度会員登録するか、メニューの［サポートに相談］を押してください（/support でも相談できます）。

## ログイン
login-ask-username = 登録したユーザー名でログインしてください。ユーザー名はメールアドレスではなく、登録時に作成したユーザー名です（例：jane_doe）。
login-username-not-email = ユーザー名はメールアドレスではなく、登録時に作成したユーザー名です（例：jane_doe）。お忘れの場合はメニューの「ユーザー名を忘れた」をご利用ください。
login-ask-password = パスワードを入力してください。メッセージは読み取り後すぐに削除されます。
login-bad = ユーザー名またはパスワードが正しくありません。ユーザー名からもう一度入力してください（例：jane_doe）。
login-locked = ログインの失敗が続いたため、安全のため{ $minutes }分間ログインをロックしました。「パスワードを忘れた」からパスワードを再設定することもできます。
login-welcome = { $username }さん、ようこそ。ログインしました。
login-pending = アカウントがまだ有効化されていません。確認メールのコードで有効化してください。
login-btn-activate = アカウントを有効化

## パスワードを忘れた
reset-ask-username = ユーザー名を入力してください（例：jane_doe）。登録済みのメールアドレスにコードを送ります。
reset-sent = そのユーザー名の有効なアカウントがあれば、登録済みのメールアドレスにコードを送信しました。
reset-ask-code = メールに記載の8桁のコードを貼り付けてください（例：12345678）。メッセージは読み取り後すぐに削除されます。
reset-ask-password = 新しいパスワードを決めてください。10〜128文字で、よく使われるものやユーザー名を含むものは使えません（例：blue-kettle-rain-42）。メッセージは削除されます。
reset-done = パスワードを変更し、すべてのセッションを終了しました。新しいパスワードでログインしてください。
reset-failed = 申し訳ありません。パスワードを変更できませんでした。最初からやり直してください。

## ユーザー名を忘れた
forgot-username-ask-email = 登録したメールアドレスを入力してください（例：jane@example.com）。
forgot-username-sent = そのアドレスのアカウントがあれば、ユーザー名をメールで送信しました。

## パスワード変更
change-ask-current = 現在のパスワードを入力してください。メッセージは読み取り後すぐに削除されます。
change-current-wrong = 現在のパスワードと一致しません。もう一度入力してください（残り{ $left }回）。
change-current-locked = 現在のパスワードが続けて一致しなかったため、安全のためパスワードの変更を{ $minutes }分間ロックしました。何も変更されていません。お忘れの場合は、ログアウトして「パスワードを忘れた」を選んでください。
change-ask-new = 新しいパスワードを決めてください。10〜128文字で、よく使われるものやユーザー名を含むものは使えません（例：blue-kettle-rain-42）。メッセージは削除されます。
change-done = パスワードを変更しました。ほかのセッションは終了し、お知らせのメールを送信しました。

## セッション終了のお知らせ
session-ended-elsewhere = 別のチャットからログインしたため、このセッションは終了しました。
session-ended-password = パスワードが変更されたため、このセッションは終了しました。もう一度ログインしてください。

## メール（テンプレートは src/services/mail/templates/onboarding.ts）
mail-verification-subject = 【OMNIPAY】確認メール：アクティベーションコード
mail-verification-text =
    { $username } 様

    OMNIPAYにご登録いただきありがとうございます。アクティベーションコードは次のとおりです：

    { $code }

    アクティベーションコードをコピーして、OMNIPAYアシスタントとのチャットに貼り付けてください。有効期限は{ $minutes }分で、1回のみ使用できます。
    { $link ->
        [none] コードを求められていない場合は、チャットで「アカウントを有効化」を選ぶか /activate を送信してください。
       *[other] 次のリンクからチャットに戻ることもできます：{ $link }
    }
mail-email-exists-subject = 【OMNIPAY】お客様のメールアドレスで登録の試みがありました
mail-email-exists-text =
    { $username } 様

    すでにアカウントがあるこのメールアドレス（ユーザー名：{ $username }）で、新しいOMNIPAYアカウントの作成が試みられました。

    お客様ご本人の場合：新しいアカウントは不要です。ユーザー名でログインするか、チャットの「パスワードを忘れた」をご利用ください。
    お心当たりがない場合：何も作成されていませんので、対応は不要です。
mail-account-activated-subject = 【OMNIPAY】オンラインアカウントが有効になりました
mail-account-activated-text =
    { $username } 様

    OMNIPAYのオンラインアカウントが有効化され、ご利用いただけるようになりました。OMNIPAYアシスタントとのチャットでユーザー名を使ってログインしてください。
mail-password-reset-code-subject = 【OMNIPAY】パスワード再設定コード
mail-password-reset-code-text =
    { $username } 様

    OMNIPAYのパスワード再設定コードは次のとおりです：

    { $code }

    チャットに貼り付けてください。有効期限は{ $minutes }分で、1回のみ使用できます。お心当たりがない場合はこのメールを無視してください。パスワードは変更されません。
mail-password-changed-subject = 【OMNIPAY】パスワードが変更されました
mail-password-changed-text =
    { $username } 様

    OMNIPAYアカウントのパスワードが変更され、ほかのセッションは終了しました。

    お心当たりがない場合は、すぐにチャットの「パスワードを忘れた」からパスワードを再設定し、チャットの［サポートに相談］を押してください（/support でも相談できます）。
mail-username-reminder-subject = 【OMNIPAY】ユーザー名のお知らせ
mail-username-reminder-text =
    こんにちは。

    このメールアドレスで登録されたOMNIPAYアカウントのユーザー名のお問い合わせがありました。ユーザー名は次のとおりです：

    { $username }

    メールアドレスではなく、このユーザー名でログインしてください。
