# Onboarding: sign up, activation, log in, forgot password / username, change password.

menu-signup = Sign up
menu-login = Log in
menu-activate = Activate account
menu-forgot-password = Forgot password
menu-forgot-username = Forgot username
menu-change-password = Change password

## Shared by the onboarding flows
onb-type-answer = Please type your answer as a message.
onb-use-buttons = Please choose one of the buttons below.
onb-password-too-short = That password is too short: use at least 10 characters, for example a few words like: blue-kettle-rain-42
onb-password-too-long = That password is too long: use at most 128 characters, for example: blue-kettle-rain-42
onb-password-common = That password is one of the most common passwords, so it is easy to guess. Please choose another, for example a few words like: blue-kettle-rain-42
onb-password-contains-username = Your password must not contain your username. Please choose another, for example: blue-kettle-rain-42
onb-password-weak = That password would be easy to guess: { $warning ->
        [straightRow] rows of keys on a keyboard are among the first things tried.
        [keyPattern] short keyboard patterns are among the first things tried.
        [simpleRepeat] repeated characters like “aaa” are easy to guess.
        [extendedRepeat] repeated patterns like “abcabcabc” are easy to guess.
        [sequences] sequences like “abc” or “6543” are easy to guess.
        [recentYears] recent years are easy to guess.
        [dates] dates are easy to guess.
        [topTen] it is one of the ten most used passwords.
        [topHundred] it is one of the hundred most used passwords.
        [common] it is a commonly used password.
        [similarToCommon] it is very like a commonly used password.
        [wordByItself] a single word is easy to guess.
        [namesByThemselves] single names or surnames are easy to guess.
        [commonNames] common names and surnames are easy to guess.
        [userInputs] it is built on your own details, such as your username.
        [pwned] it has appeared in a data breach.
       *[other] it follows a pattern that is easy to guess.
    } { $suggestion ->
        [l33t] Swapping letters for look-alikes such as @ for a does not help much.
        [reverseWords] Spelling a common word backwards does not help much.
        [allUppercase] Capitalise some letters, not all of them.
        [capitalization] Capitalise more than the first letter.
        [dates] Avoid dates and years that are linked to you.
        [recentYears] Avoid recent years.
        [associatedYears] Avoid years that are linked to you.
        [sequences] Avoid common character sequences.
        [repeated] Avoid repeated words and characters.
        [longerKeyboardPattern] Use longer keyboard patterns and change direction more than once.
        [useWords] Use several words, but avoid common phrases.
        [pwned] If you use it anywhere else, change it there too.
       *[other] Add another word or two; uncommon words are better.
    } Please choose another, for example a few unrelated words like: blue-kettle-rain-42
onb-ask-password-again = Please type the new password again, to make sure it has no typing mistake. (The message will be deleted.)
onb-password-mismatch = That does not match the password you chose. Please type the same password again, or choose a new one.
onb-choose-password-again = Choose a different password
onb-code-unreadable = An activation code is 8 digits, for example: 12345678. Please paste the code from the e-mail (spaces are fine).
onb-code-wrong = That code is not right. Please check the e-mail and try again ({ $left ->
    [one] 1 try left
    *[other] { $left } tries left
    }). The code is 8 digits, for example: 12345678.
onb-code-older = That code is from an older e-mail. Only the code in the newest e-mail works ({ $left ->
    [one] 1 try left
    *[other] { $left } tries left
    }).
onb-code-expired = That code has expired. Press [Resend code] and use the code in the new e-mail.
onb-code-used = That code has already been used. Press [Resend code] for a new one.
onb-code-too-many = Too many wrong tries for this code. Press [Resend code] and use the code in the new e-mail.
onb-code-resent = A new code is on its way. Codes from earlier e-mails no longer work.
onb-code-resend-wait = A code was sent less than a minute ago. Please check your e-mail, or try again in { $seconds } seconds.
onb-code-resend-limit = Too many codes were sent in the last hour. Please try again in { $minutes ->
    [one] 1 minute
    *[other] { $minutes } minutes
    }.
onb-btn-resend = Resend code
onb-btn-try-again = Try again
onb-captcha-retry = When you are ready, press [Try again] for a new image. Everything you entered is kept.

## Sign up
signup-intro = Let's create your OMNIPAY account. I will ask five questions, one at a time. You can send /cancel at any time.
signup-ask-username = Choose a username: 3 to 32 letters, digits, _ or . (for example: jane_doe). You will log in with it; it is not your e-mail address.
signup-username-empty = Please type a username, for example: jane_doe
signup-username-email = A username is not an e-mail address. Please choose a name of 3 to 32 letters, digits, _ or . (for example: jane_doe).
signup-username-length = A username has 3 to 32 characters, for example: jane_doe
signup-username-chars = A username may only contain letters A–Z, digits, _ and . (3 to 32 of them), for example: jane_doe
signup-username-taken = That username is already taken. Please choose another, for example: jane_doe_7
signup-password-again-after-username = Your username changed, so please choose your password again.
signup-ask-email = Your e-mail address (we send the activation code there), for example: jane@example.com
signup-email-empty = Please type your e-mail address, for example: jane@example.com
signup-email-invalid = That does not look like an e-mail address. Please type one address, for example: jane@example.com
signup-ask-name = Your full name, for example: Jane Doe
signup-name-empty = Please type your full name, for example: Jane Doe
signup-name-length = That name is too long: at most 100 characters, for example: Jane Doe
signup-name-chars = A name may contain letters, spaces, and ' - . only, for example: Jane Doe
signup-ask-password = Choose a password: 10 to 128 characters, not a common one, and not containing your username (for example a few words like: blue-kettle-rain-42). Your message will be deleted right after I read it.
signup-ask-password-again = Please type the password again. (The message will be deleted.)
signup-review =
    Please check that the entered information is correct:
    Username: { $username }
    E-mail: { $email }
    Full name: { $fullName }
    Password: ••••••••••
signup-btn-submit = Submit
signup-edit-username = Edit username
signup-edit-email = Edit e-mail
signup-edit-name = Edit full name
signup-edit-password = Edit password
signup-sent = Thank you! A verification e-mail has been sent to { $email }. Copy the activation code in the e-mail and paste it here{ $link ->
        [yes] {" "}(or open the link in the e-mail).
       *[no] .
    }

## Activation
activation-ask-username = Which username did you register? (for example: jane_doe)
activation-link-invalid = That activation link has expired or was already used. No problem: tell me your username instead.
activation-ask-code = Paste the 8-digit activation code from the verification e-mail (for example: 12345678). If it has expired, press [Resend code]. Your message will be deleted right after I read it.
activation-success = Activate success. Your online account is now active. Press [OK] to log in.
activation-failed = Sorry, the account could not be activated. Please sign up again, or press [Talk to support] in the menu (or send /support).

## Log in
login-ask-username = Log in with your registered username. Please note that the username is not your e-mail address but the username you created at registration (for example: jane_doe).
login-username-not-email = Please note that the username is not the e-mail address but the username created at the time of registration (for example: jane_doe). If you forgot it, use "Forgot username" in the menu.
login-ask-password = Your password. Your message will be deleted right after I read it.
login-bad = The username or password is incorrect. Please try again, starting with your username (for example: jane_doe).
login-locked = For your security, log-in is locked for { $minutes ->
    [one] 1 minute
    *[other] { $minutes } minutes
    } after too many failed attempts. You can also reset your password with "Forgot password".
login-welcome = Welcome, { $username }! You are logged in.
login-pending = Your account is not activated yet. Activate it with the code from the verification e-mail.
login-btn-activate = Activate account

## Forgot password
reset-ask-username = Your username (for example: jane_doe). I will e-mail a code to the address you registered.
reset-sent = If that username has an active account, a code is on its way to its registered e-mail address.
reset-ask-code = Paste the 8-digit code from the e-mail (for example: 12345678). Your message will be deleted right after I read it.
reset-ask-password = Choose a new password: 10 to 128 characters, not a common one, and not containing your username (for example: blue-kettle-rain-42). Your message will be deleted.
reset-done = Your password has been changed, and every session has ended. Please log in with the new password.
reset-failed = Sorry, the password could not be changed. Please start again.

## Forgot username
forgot-username-ask-email = The e-mail address you registered, for example: jane@example.com
forgot-username-sent = If that address has an account, its username is on its way there by e-mail.

## Change password
change-ask-current = Your current password. Your message will be deleted right after I read it.
change-current-wrong = That is not your current password. Please try again ({ $left ->
    [one] 1 try left
    *[other] { $left } tries left
    }).
change-current-locked = There were too many wrong current passwords in a row, so for your security changing the password is locked for { $minutes } { $minutes ->
        [one] minute
       *[other] minutes
    }. Nothing was changed. If you have forgotten it, log out and choose Forgot password.
change-ask-new = Choose a new password: 10 to 128 characters, not a common one, and not containing your username (for example: blue-kettle-rain-42). Your message will be deleted.
change-done = Your password has been changed. Any other session has ended, and we sent you an e-mail about it.

## Notices to a chat whose session ended
session-ended-elsewhere = You logged in from another chat, so this session has ended.
session-ended-password = Your password was changed, so this session has ended. Please log in again.

## E-mails (templates in src/services/mail/templates/onboarding.ts)
mail-verification-subject = [OMNIPAY] Verification e-mail: your activation code
mail-verification-text =
    Hello { $username },

    Thank you for registering with OMNIPAY. Your activation code is:

    { $code }

    Copy the activation code and paste it in the chat with the OMNIPAY Assistant. It expires in { $minutes } minutes and can be used once.
    { $link ->
        [none] In the chat, choose "Activate account" (or send /activate) if it is not already asking for the code.
       *[other] Or open this link to go straight back to the chat: { $link }
    }
mail-email-exists-subject = [OMNIPAY] Someone tried to register with your e-mail address
mail-email-exists-text =
    Hello { $username },

    Someone tried to create a new OMNIPAY account with this e-mail address, which already has an account (username: { $username }).

    If it was you: you do not need a new account. Log in with your username, or use "Forgot password" in the chat.
    If it was not you: nothing was created and no action is needed.
mail-account-activated-subject = [OMNIPAY] Your online account is now active
mail-account-activated-text =
    Hello { $username },

    Your OMNIPAY online account has been activated and is now available. You can log in with your username in the chat with the OMNIPAY Assistant.
mail-password-reset-code-subject = [OMNIPAY] Password reset code
mail-password-reset-code-text =
    Hello { $username },

    Your code to reset your OMNIPAY password is:

    { $code }

    Paste it in the chat. It expires in { $minutes } minutes and can be used once. If you did not ask for it, ignore this e-mail: your password stays as it is.
mail-password-changed-subject = [OMNIPAY] Your password was changed
mail-password-changed-text =
    Hello { $username },

    The password of your OMNIPAY account was changed, and your other sessions were ended.

    If you did not do this, reset your password with "Forgot password" in the chat at once, then press [Talk to support] there (or send /support).
mail-username-reminder-subject = [OMNIPAY] Your username
mail-username-reminder-text =
    Hello,

    You asked for the username of the OMNIPAY account registered with this e-mail address. It is:

    { $username }

    Log in with this username (not your e-mail address).
