welcome = Welcome to OMNIPAY Assistant. Here you can register, enroll the card that came by post, charge it and check its balance and history.
menu-guest = What would you like to do?
menu-member = Dashboard — logged in as { $username }. What would you like to do?
help =
    I can help you with your OMNIPAY prepaid card:
    • Sign up, activate your account by e-mail code, and log in
    • Card Registration: enroll the card that came by post (last 4 digits + initial PIN)
    • Card Charge: charge your card in one currency, paid in another
    • Balance inquiry and deposit/withdrawal history
    • Change your PIN or password
    Commands: /menu shows the dashboard, /cancel leaves what you are doing, /logout ends your session, /language switches language, /support puts you in touch with a person from our support team.
    Please note that the card may not be used for some online payments or in some stores.
cancelled = Cancelled. Nothing was changed.
nothing-to-cancel = There is nothing to cancel.
not-understood = Sorry, I did not understand that. Please choose one of the buttons below, or send /help.
unknown-command = I do not know that command. Send /help to see what I can do.
error-generic = Sorry, something went wrong on our side. Nothing was lost; please try again.
session-expired = Your session has ended for your security. Please log in again.
logged-out = You have been logged out.
not-logged-in = You are not logged in.
login-required = Please log in first; I will take you there right after.
already-logged-in = You are already logged in.
language-choose = Choose your language.
language-set = Language set to English.
language-en = English
language-ja = 日本語
button-expired = This button has expired. Please use the latest message.
button-no-effect = That button does nothing at this step. Please use the buttons of the latest message, or send /menu.
button-not-yours = This button belongs to someone else’s chat, so nothing was done. Please use the buttons in your own chat with me.
conversation-reset = Sorry, I could not continue where we left off, so I went back to the menu. Nothing was lost.
conversation-expired = It has been a while, so we start again from the menu.
busy = One moment, I am still working on your previous message.
group-chat = For your security I only talk in a private chat. Please open a private chat with me.
slow-down = You are sending messages too fast. Please wait a moment.
btn-menu = Menu
btn-cancel = Cancel
btn-back = Back
btn-ok = OK
menu-help = Help
menu-language = Language / 言語
menu-logout = Log out
conversation-updated = The assistant was updated while we were talking, so that step starts over from the menu. Nothing was lost.
turn-timeout = Sorry, that took too long, so I stopped and went back to the menu. If you were making a payment or a change, check it (for example your balance) before trying again.
bot-updating = The assistant is being updated right now. Please try again in a minute.
# Typed instead of pressing the screen's confirming or cancelling button (comma-separated; see src/engine/typed.ts).
typed-yes = yes, y, ok, okay, sure, yep
typed-no = no, n, nope

## Media where text is expected (flows/root-flow-state.ts): the caption is never read as an answer.
media-menu = I can't read { $media ->
        [photo] a photo
        [sticker] a sticker
        [voice] a voice message
        [document] a file
       *[other] that
    } here. Please choose one of the buttons below, or type /help.
media-type-answer = I can't read { $media ->
        [photo] a photo
        [sticker] a sticker
        [voice] a voice message
        [document] a file
       *[other] that
    } here. Please type your answer to the question above as text.
media-type-secret = I can't read { $media ->
        [photo] a photo
        [sticker] a sticker
        [voice] a voice message
        [document] a file
       *[other] that
    } here, and for your security it was removed. Please type the answer to the question above as text.
media-type-amount = I can't read { $media ->
        [photo] a photo
        [sticker] a sticker
        [voice] a voice message
        [document] a file
       *[other] that
    } here. Please type the amount as a number, for example 3000.
media-type-period = I can't read { $media ->
        [photo] a photo
        [sticker] a sticker
        [voice] a voice message
        [document] a file
       *[other] that
    } here. Please type the period in mm/dd/yyyy, for example 11/01/2026 - 11/30/2026, or use the buttons.
media-type-support = Only text can be sent to support, so { $media ->
        [photo] that photo
        [sticker] that sticker
        [voice] that voice message
        [document] that file
       *[other] that
    } was not passed on. Please type your message.
