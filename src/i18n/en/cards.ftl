# Cards: choosing a card, Card Registration, Change PIN, My Cards, card e-mails.

## Choosing a card (shared by every card flow)
choose-card-prompt = Which card? Choose it by its last 4 digits.
choose-card-button = •••• { $last4 } · { $currency }
choose-card-button-frozen = •••• { $last4 } · { $currency } (frozen)
choose-card-none = You have no enrolled card yet. Use Card Registration on the dashboard to enroll the card that came by post.
choose-card-invalid = Please press one of the card buttons, or type the last 4 digits of one of them (for example: 1234).

## Card Registration
menu-enroll = Card Registration
enroll-intro = Card Registration. Please check the enclosed paper bound with the thread that came with your card: it shows the last 4 digits of your card number and your initial PIN (ATM password). You can change the PIN later, but you need the current PIN when you change it.
enroll-ask-last4 = Enter the last 4 digits of your card number (for example: 1234).
enroll-bad-last4 = The last 4 digits are exactly four digits with nothing else, for example: 1234. Please enter them again.
enroll-full-number = Please never send your full card number in a chat — I deleted that message. Enter only the last 4 digits (for example: 1234).
enroll-ask-pin = Card ending { $last4 }. Now enter the initial PIN printed on the paper: 4 digits (for example: 5821). I delete your message as soon as I have read it.
enroll-bad-pin = A PIN is exactly 4 digits, without spaces or letters (for example: 5821). Please enter the initial PIN again.
enroll-no-match = Those details do not match a card issued to you that is waiting for registration. Please check the last 4 digits and the initial PIN on the paper and try again.
enroll-give-up = That did not match several times. Please check the paper that came with your card, or press [Talk to support] in the menu (or send /support). Nothing was changed.
enroll-locked = This card's PIN is locked after too many wrong entries. To unlock it, press [Talk to support] in the menu (or send /support).
enroll-pin-ok = Thank you. One last check before enrolling the card.
enroll-expired = That took too long, so I stopped. Please start Card Registration again.
enroll-done = A card has been enrolled. (card ending { $last4 })
enroll-secret-deleted = That looked like a PIN, so I deleted your message. Please do not send your PIN unless I ask for it.

## Change PIN
menu-pin-change = Change PIN
pin-ask-current = Card ending { $last4 }. Enter its current PIN: 4 digits (for example: 5821). I delete your message as soon as I have read it.
pin-bad-format = A PIN is exactly 4 digits, without spaces or letters (for example: 5821). Please try again.
pin-wrong-current = That is not the current PIN. { $left ->
    [one] 1 more wrong PIN locks it.
   *[other] { $left } more wrong PINs lock it.
    } Please try again.
pin-locked = This card's PIN is locked after too many wrong entries. To unlock it, press [Talk to support] in the menu (or send /support).
pin-ask-new = Enter the new PIN: 4 digits, not 0000 or 1234, not one digit repeated (1111) or a repeated pair (1212), not a run (2345, 5432), and not the current PIN. For example: 5821.
pin-refused-trivial = That PIN is too easy to guess (0000 and 1234 are not allowed). Please choose another, for example: 5821.
pin-refused-repeated = That PIN repeats digits (like 1111 or 1212) and is easy to guess. Please choose another, for example: 5821.
pin-refused-sequential = That PIN is a run of digits (like 2345 or 5432) and is easy to guess. Please choose another, for example: 5821.
pin-refused-same = The new PIN must differ from the current one. Please choose another, for example: 5821.
pin-ask-confirm = Enter the new PIN once more to confirm it.
pin-mismatch = The two new PINs differ. Please enter the new PIN again.
pin-expired = That took too long, so I stopped. Please start Change PIN again.
pin-changed = The PIN of your card ending { $last4 } has been changed. An e-mail confirms it.
pin-secret-deleted = That looked like a PIN, so I deleted your message. Please send a PIN only when I ask for it.

## My Cards
menu-cards = My Cards
cards-header = Your cards:
cards-none = You have no cards yet. Use Card Registration on the dashboard to enroll the card that came by post.
cards-line = •••• { $last4 } · { $currency } · { $state ->
    [frozen-own] frozen by you
    [frozen-support] frozen by support
    [pin-locked] PIN locked
   *[active] active
    }
cards-btn-freeze = Freeze •••• { $last4 }
cards-btn-unfreeze = Unfreeze •••• { $last4 }
cards-btn-done = Done
cards-frozen = Card ending { $last4 } is now frozen: purchases and ATM withdrawals are declined, refunds still arrive.
cards-unfrozen = Card ending { $last4 } is active again.
cards-support-frozen = Card ending { $last4 } was frozen by support, so only support can lift it. Press [Talk to support] in the menu (or send /support).
cards-pick = Please use the buttons below.

## E-mails
mail-card-enrolled-subject = [OMNIPAY] A card has been enrolled
mail-card-enrolled-text =
    Dear { $name },

    Your OMNIPAY card ending { $last4 } has been enrolled to your online account. You can now charge it and check its balance in the chat.

    If you did not do this, please contact OMNIPAY support at once.

    This e-mail was sent automatically by OMNIPAY. Please do not reply to it.
mail-pin-changed-subject = [OMNIPAY] The PIN of your card was changed
mail-pin-changed-text =
    Dear { $name },

    The PIN of your OMNIPAY card ending { $last4 } has been changed.

    If you did not do this, please contact OMNIPAY support at once so we can freeze the card.

    This e-mail was sent automatically by OMNIPAY. Please do not reply to it.
cards-already-frozen = Card ending { $last4 } is already frozen: purchases and ATM withdrawals are declined.
cards-freeze-which = I could not tell which card ends in { $last4 }, so nothing was frozen. Choose the card to freeze below.
