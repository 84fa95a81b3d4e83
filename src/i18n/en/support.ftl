# Talk to support: the hand-off to a person in the support team's Slack (flows/handoff).
menu-support = Talk to support
support-btn-end = End conversation
support-ask-summary = I will pass you to a person from our support team. First, tell me in one line what you need help with, for example: My card was declined at a shop. (Never send a password, PIN, code or card number: nobody at OMNIPAY will ever ask for them.)
support-summary-empty = Please write one line about what you need help with, for example: My card was declined at a shop.
support-summary-too-long = Please keep it to one line of at most { $max } characters, for example: My card was declined at a shop. You can tell support everything else once the conversation has started.
support-secret-refused = I did not pass that on: it looks like { $what ->
    [card-number] a card number
    [pin] a PIN
    [code] a code from an e-mail
   *[password] a password
  }, and nobody at OMNIPAY will ever ask for it. Please write it another way; if you meant your card's last 4 digits, write for example: last 4: 1234
support-opened = Your ticket { $ticket } is open. A person from our support team will answer here; everything you write now goes to them. Press End conversation or send /end when you are done.
support-resumed = You are back in your conversation { $ticket } with support: everything you write goes to them. Press End conversation or send /end when you are done.
support-limit = You have opened { $max } support conversations in the last 24 hours, the most I can open in a day. Please try again tomorrow, or send /help to see what I can do myself.
support-sent = Sent to support ({ $ticket }).
support-text-only = I can pass on only text to support. Please describe it in words.
support-slow = You are writing faster than support can read. Please wait a moment, then send it again.
support-send-failed = Sorry, I could not pass that on just now; nothing was lost on your side. Please send it again.
support-agent-reply = { $agent } (OMNIPAY support, { $ticket }):
    { $text }
support-ended = You ended the conversation { $ticket }. Thank you for contacting us; I am here again for everything else.
support-closed-by-agent = Support closed the conversation { $ticket }. Thank you for contacting us; I am here again for everything else.
support-already-closed = The conversation { $ticket } has already been closed by support. I am here again for everything else; send /support to start a new one.
support-unavailable = Sorry, talking to a person is not available here right now: this assistant has no support desk connected. Send /help to see what I can do myself.
support-none-open = You have no open conversation with support. To start one, send /support.
support-unreachable = Sorry, I could not reach our support team for { $ticket }, so it was closed. Please try again later with /support.
