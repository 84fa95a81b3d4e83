# Telegram のコマンドメニュー（setMyCommands）の説明。
tg-cmd-start = 開始、またはメニューを表示
tg-cmd-menu = ダッシュボードを表示
tg-cmd-help = できること
tg-cmd-cancel = 操作を中止
tg-cmd-logout = ログアウト
tg-cmd-language = 言語の切り替え（English / 日本語）
tg-cmd-support = サポートの担当者に相談
