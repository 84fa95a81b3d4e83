# Telegram's command menu (setMyCommands): short descriptions shown next to each command.
tg-cmd-start = Start, or show the menu
tg-cmd-menu = Show the dashboard
tg-cmd-help = What I can do
tg-cmd-cancel = Leave what you are doing
tg-cmd-logout = End your session
tg-cmd-language = Switch language (English / 日本語)
tg-cmd-support = Talk to a person from support
