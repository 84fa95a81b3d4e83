## Money: charge, balance, history, settings, usage notices

menu-charge = Card Charge
menu-balance = Balance inquiry
menu-history = Deposit/withdrawal history
menu-settings = Settings

## Card Charge
charge-choose-card = Which card do you want to charge?
charge-currency-button = { $currency }
charge-ask-from = Card •••• { $last4 }. Select the [Withdrawal currency]: the currency you pay in.
charge-ask-to = You pay in { $from }. Now select the [Charge currency]: the currency that lands on your card (the same currency is fine).
charge-bad-currency = Please choose one of the currency buttons, or type its code, e.g. USD.
charge-ask-amount =
    Enter the amount. Type it in { $to } for what should land on your card (e.g. 100 or 100 { $to }),
    or in { $from } for what you want to pay (e.g. 15000 { $from }).
charge-ask-amount-same = Enter the amount to charge in { $to }, e.g. 10000 { $to }.
charge-quote =
    <b>Check that the selected and entered information is correct.</b>
    Card: <code>•••• { $last4 }</code>
    You pay: <b>{ $pay }</b> (fee included: { $fee })
    Charged to the card: <b>{ $get }</b>
    Rate: { $rate }
    This quote holds for { $minutes } minutes (until { $until }).
charge-quote-same =
    <b>Check that the selected and entered information is correct.</b>
    Card: <code>•••• { $last4 }</code>
    You pay: <b>{ $pay }</b> (fee included: { $fee })
    Charged to the card: <b>{ $get }</b>
    This quote holds for { $minutes } minutes (until { $until }).
charge-btn-confirm = Confirm
charge-btn-change = Change
charge-use-buttons = Please press Confirm, Change or Cancel.
charge-quote-expired = That quote has expired, so here is a new one at the current rate.
charge-received =
    <b>Charge received.</b> Reference: <code>{ $reference }</code>
    You pay <b>{ $pay }</b>; <b>{ $get }</b> will be charged to your card when the payment arrives. I will tell you here and by e-mail.
charge-pay-sandbox = How to pay: this is the sandbox, no real payment is needed. The payment for <code>{ $reference }</code> (<b>{ $amount }</b>) confirms itself in about { $seconds } seconds.
charge-pay-external = How to pay: pay <b>{ $amount }</b> with the payment link or bank transfer you receive, quoting the reference <code>{ $reference }</code>. Unpaid charges expire after { $hours } hours.
charge-completed = <b>Charge completed:</b> <b>{ $amount }</b> was charged to card •••• { $last4 } (reference <code>{ $reference }</code>). A [Card Charge Completion Notification] e-mail is on its way.
charge-failed = The payment for charge { $reference } ({ $amount }) failed. Nothing was charged; you can try again from Card Charge.
charge-expired = Charge { $reference } ({ $amount }) expired because no payment arrived. Nothing was charged; you can start a new charge at any time.
charge-held-late = We received your payment of { $amount } for charge { $reference } after that charge had closed, so nothing was charged to your card yet. Our support team will either add it to your card or return it to you; I will tell you here.
charge-held-card-closed = We received your payment of { $amount } for charge { $reference }, but card •••• { $last4 } is closed, so nothing was charged to it. Our support team will either add it to a card of yours or return it to you; I will tell you here.
charge-payment-returned = Your payment of { $amount } for charge { $reference } is being returned to you by the way you paid. Nothing was charged to your card.
charge-reversed = Our support team reversed charge { $reference }: { $amount } was taken back from card •••• { $last4 } and { $returned } is being returned to you by the way you paid. Balance: { $balance }.

charge-err-money-empty = Please enter an amount, e.g. 100.
charge-err-money-not-a-number = That is not an amount I can read. Type digits, e.g. 1,000 or 12.50 or 100 USD.
charge-err-money-too-many-decimals = Too many decimal places for that currency (JPY has none, USD two, KWD three). Try e.g. 12.50 USD or 1000 JPY.
charge-err-money-negative = The amount must be positive, e.g. 100.
charge-err-money-zero = The amount must be more than zero (and large enough to convert), e.g. 100.
charge-err-money-too-large = That amount is far too large. Enter a realistic amount, e.g. 50000.
charge-err-money-unknown-currency = I do not know that currency. Use { $from } or { $to }, e.g. 100 { $to }.
charge-err-money-currency-mismatch = Please use { $from } or { $to } for this charge, e.g. 100 { $to }.
charge-err-money-bad-rate = The exchange rate for this pair is not usable right now. Please try later.
charge-err-charge-card-unavailable = This card cannot be charged. Check it in My Cards.
charge-err-charge-card-frozen = Card •••• { $last4 } is frozen and cannot be charged. Unfreeze it in My Cards first.
charge-err-charge-currency-not-offered = Charging in { $currency } is not offered.
charge-err-charge-no-rate = There is no exchange rate from { $from } to { $to } yet, so this pair cannot be charged. Please choose other currencies.
charge-err-charge-rate-stale = Charging from { $from } to { $to } is paused for now because the exchange rate is out of date. Support has been told; please try later or choose other currencies.
charge-err-charge-below-min = The minimum charge is { $limit }. Enter at least that, e.g. { $limit }.
charge-err-charge-above-max = The maximum per charge is { $limit }. Enter a smaller amount.
charge-err-charge-daily-limit = That would pass your daily charge limit of { $limit }. You can still charge up to { $left } today: { $day }, a day in { $zone } (the daily limit counts the operator's days).
charge-err-charge-balance-limit = That would take the card above its maximum balance of { $limit }. You can add up to { $left }.
charge-which-reading = That number could mean either: pay { $pay }, or get { $get } on the card. Which did you mean? You can also type the amount with its currency.
charge-btn-reading-pay = Pay { $pay } → get { $get }
charge-btn-reading-get = Get { $get }
charge-reading-taken-pay = I took that as what you pay, { $pay }: as what lands on the card, it would be outside the charge limits.
charge-reading-taken-receive = I took that as what lands on the card, { $get }: as what you pay, it would be outside the charge limits.
charge-other-reading-fits = Read as { $otherTyped } instead (pay { $otherPay } → get { $otherGet }), it would fit: type { $otherTyped } to charge that.
charge-err-charge-quote-not-found = That quote is no longer available. Please start Card Charge again.
charge-err-charge-quote-expired = That quote has expired. Please start Card Charge again.
charge-err-charge-not-found = That charge was not found.
charge-err-charge-not-pending = That charge is already closed.

## Card usage notices
usage-approved-purchase = Card •••• { $last4 }: purchase of { $amount }{ $hasMerchant ->
    [yes] { " at " }{ $merchant }
   *[no] {""}
} approved. Balance: { $balance }.
usage-approved-atm = Card •••• { $last4 }: ATM withdrawal of { $amount } approved. Balance: { $balance }.
usage-approved-refund = Card •••• { $last4 }: refund of { $amount }{ $hasMerchant ->
    [yes] { " from " }{ $merchant }
   *[no] {""}
} received. Balance: { $balance }.
usage-refunded-support = Card •••• { $last4 }: our support team refunded { $amount }{ $hasMerchant ->
    [yes] { " for " }{ $merchant }
   *[no] {""}
}. Balance: { $balance }.
usage-declined-insufficient-funds = Card •••• { $last4 }: { $kind ->
    [atm] ATM withdrawal
    [refund] refund
   *[other] purchase
} of { $amount }{ $hasMerchant ->
    [yes] { " at " }{ $merchant }
   *[no] {""}
} declined — not enough balance in that currency ({ $balance }). Charge the card to use it.
usage-declined-card-frozen = Card •••• { $last4 }: { $kind ->
    [atm] ATM withdrawal
    [refund] refund
   *[other] purchase
} of { $amount }{ $hasMerchant ->
    [yes] { " at " }{ $merchant }
   *[no] {""}
} declined because the card is frozen.
usage-declined-card-closed = Card •••• { $last4 }: { $kind ->
    [atm] ATM withdrawal
    [refund] refund
   *[other] purchase
} of { $amount }{ $hasMerchant ->
    [yes] { " at " }{ $merchant }
   *[no] {""}
} declined because the card is closed.
usage-declined-card-not-enrolled = Card •••• { $last4 }: { $kind ->
    [atm] ATM withdrawal
    [refund] refund
   *[other] purchase
} of { $amount }{ $hasMerchant ->
    [yes] { " at " }{ $merchant }
   *[no] {""}
} declined because the card is not enrolled yet.

## Balance inquiry
balance-none = You have no enrolled card yet. Use Card Registration to enroll the card that came by post.
balance-list =
    <b>Your balances:</b>

    { $linesHtml }
balance-card = <b>Card •••• { $last4 }</b>
balance-card-frozen = <b>Card •••• { $last4 }</b> (frozen)
balance-line = • <b>{ $balance }</b>
balance-line-pending = • <b>{ $balance }</b> (pending charge: { $pending })

## Deposit/withdrawal history
history-ask = Enter the period you want to display in mm/dd/yyyy: both dates in one message, e.g. 11/01/2026 - 11/30/2026, or the first date now and the last one next. Or pick a period below.
history-ask-to = From { $from }. Now enter the last date in mm/dd/yyyy, e.g. 11/30/2026.
history-btn-last7 = Last 7 days
history-btn-this-month = This month
history-btn-last-month = Last month
history-err-bad-format = Please write dates as mm/dd/yyyy, e.g. 11/01/2026 - 11/30/2026.
history-err-impossible-date = { $date } is not a real date. Please check it, e.g. 02/28/2026.
history-err-day-first = { $date } is not a real date: dates are month/day/year. Did you mean { $swapped }?
history-type-period = Use the buttons below, or type a new period in mm/dd/yyyy, e.g. 11/01/2026 - 11/30/2026.
history-err-reversed = The period ends ({ $to }) before it starts ({ $from }). Put the earlier date first, e.g. 11/01/2026 - 11/30/2026.
history-err-too-long = A period can be at most one year. Please choose a shorter one, e.g. 01/01/2026 - 12/31/2026.
history-err-future = That period is in the future; today is { $today }. Choose dates up to today, e.g. 11/01/2026 - { $today }.
history-ready = Period: { $from } - { $to }.
history-ready-clamped = Period: { $from } - { $to } (the end was set to today, since later days have not happened yet).
history-btn-view = VIEW TRANSACTIONS
history-btn-change = Change period
history-empty = No deposits or withdrawals from { $from } to { $to }.
history-page =
    <b>Deposits and withdrawals, { $from } - { $to }</b> (page { $page } of { $pages }, { $count } in all, newest first):
    <pre>{ $lines }</pre>

    <b>Totals:</b>
    { $totalsHtml }
history-line = { $when } · { $kind } { $memo } · •••• { $last4 } · { $amount }
history-total = { $currency }: in <b>{ $in }</b>, out <b>{ $out }</b>
history-kind-charge = Charge
history-kind-purchase = Purchase
history-kind-atm = ATM withdrawal
history-kind-refund = Refund
history-kind-reversal = Reversal
history-kind-transfer = Card replacement transfer
history-btn-prev = ◀ Prev
history-btn-next = Next ▶
history-btn-csv = Download CSV
history-btn-new-period = New period
history-btn-done = Done
history-csv-caption = Your statement (CSV).
history-csv-sent = Statement sent.
history-btn-chart = Chart
history-chart-title = Balance and daily deposits / withdrawals, { $from } - { $to }
history-chart-balance = Balance
history-chart-in = In
history-chart-out = Out
history-chart-caption =
    <b>Chart, { $from } - { $to }</b>: the line is the balance at each day's end, the bars the money in and out each day.
    { $totalsHtml }

## Settings
settings-usage-on = Card usage notifications are ON: I tell you here about each purchase, ATM withdrawal or refund.
settings-usage-off = Card usage notifications are OFF.
settings-btn-turn-off = Turn off
settings-btn-turn-on = Turn on
settings-btn-done = Done
settings-use-buttons = Please use the buttons below.
settings-saved = Saved.
settings-show-on =
    { settings-usage-on }
    { settings-zone-line }
settings-show-off =
    { settings-usage-off }
    { settings-zone-line }
settings-zone-line = <b>Time zone:</b> { $zone }. History days and the times I show are in it; the daily charge limit counts days in { $operatorZone }.
settings-btn-zone = Time zone
settings-btn-back = Back
settings-zone-button = { $zone }
settings-zone-ask = Choose your time zone below, or type its name, e.g. Europe/London or New York. Now: <b>{ $zone }</b>.
settings-zone-unknown = I do not know that time zone. Type a name such as Europe/London, America/New_York or Asia/Tokyo (a city alone works too, e.g. London), or choose one below.

## E-mail: [Card Charge Completion Notification]
mail-charge-completed-subject = [Card Charge Completion Notification]
mail-charge-completed-text =
    Dear { $name },

    The charge to your card has been completed.

    Reference: { $reference }
    Card: •••• { $last4 }
    Charged to the card: { $amount }
    Paid: { $paid } (fee included: { $fee })
    Completed: { $completedAt }

    If you did not request this charge, press [Talk to support] in your chat with the OMNIPAY Assistant (or send /support there).

## E-mail: [Card Charge Reversal Notification]
mail-charge-reversed-subject = [Card Charge Reversal Notification]
mail-charge-reversed-text =
    Dear { $name },

    Our support team reversed a charge to your card.

    Reference: { $reference }
    Card: •••• { $last4 }
    Taken back from the card: { $amount }
    Returned to you: { $returned }
    Reversed: { $reversedAt }

    The returned amount goes back by the way you paid. If you did not expect this, press [Talk to support] in your chat with the OMNIPAY Assistant (or send /support there).

## Quick actions on notices (src/app/notices.ts)
notice-btn-balance = Balance
notice-btn-charge-again = Charge again
notice-btn-freeze = Freeze card •••• { $last4 }
notice-btn-not-me = I didn't make this: Talk to support
