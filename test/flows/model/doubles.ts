/**
 * Test doubles for the flows' side effects (ports), by actor name, for the model-based tests.
 * Each port lists the outcomes worth exploring: the model tries every one as a separate branch, so
 * every `onDone` guard of a flow is reached. A port without an entry here (or in its flow folder's
 * `test-doubles.ts`, see README) gets {@link DEFAULT_OUTCOMES}.
 */

/** Outcomes of a port: a list, or a function of the port's input that returns a list. */
export type Outcomes = unknown[] | ((input: unknown) => unknown[]);

/** What a port returns when nothing better is known. */
export const DEFAULT_OUTCOMES: unknown[] = [{ ok: true }];

const card = (id: string, last4: string, extra: Record<string, unknown> = {}) => ({ id, last4, currency: 'JPY', status: 'enrolled', frozen: false, ...extra });
const quote = { quoteId: 'q1', cardId: 'c1', from: 'USD', to: 'JPY', fromText: 'USD 10.00', toText: 'JPY 1,500', feeText: 'USD 0.20', rateText: '1 USD = 150 JPY', expiresAt: 0, validMinutes: 10, expiresText: '12:10' };
const codeRefusals = [{ ok: false, reason: 'wrong', left: 2 }, { ok: false, reason: 'older', left: 2 }, { ok: false, reason: 'expired' }, { ok: false, reason: 'used' }, { ok: false, reason: 'too-many' }, { ok: false, reason: 'unreadable' }];

/** Outcomes by actor name (names are shared by flows that use the same service call). */
export const DOUBLES: Record<string, Outcomes> = {
  // CAPTCHA sub-flow
  'new captcha': [{ kind: 'image', png: 'iVBORw0KGgo=', terminal: 'TEST42' }, { kind: 'paused', minutes: 5 }],
  'check captcha': [{ outcome: 'solved' }, { outcome: 'wrong', left: 2 }, { outcome: 'expired' }, { outcome: 'paused', minutes: 5 }],
  // onboarding
  'username free': [true, false],
  'check new password': [{ ok: true, hash: 'h1' }, { ok: false, problem: 'too-short' }, { ok: false, problem: 'weak', advice: { warning: 'dates', suggestion: 'dates' } }],
  'password matches': [true, false],
  register: ['sent', 'username-taken'],
  'claim link': [{ id: 'm1', username: 'alice' }, null],
  'find pending': [{ id: 'm1', username: 'alice' }, null],
  'check code': [{ ok: true, codeId: 'k1' }, ...codeRefusals],
  'resend code': [{ sent: true }, { sent: false, reason: 'too-soon', seconds: 30 }, { sent: false, reason: 'too-many', minutes: 60 }],
  activate: [true, false],
  'check login': [{ outcome: 'ok', memberId: 'm1' }, { outcome: 'pending', username: 'alice' }, { outcome: 'locked', minutes: 15 }, { outcome: 'bad' }],
  'start session': [{ session: { memberId: 'm1', username: 'alice', sessionId: 's1', startedAt: 0, lastSeenAt: 0 }, lang: 'en' }],
  'check current': [{ outcome: 'ok' }, { outcome: 'wrong', left: 2 }, { outcome: 'locked', minutes: 15 }],
  'change password': [undefined],
  'start reset': [{ sent: true }, { sent: false, reason: 'too-soon', seconds: 30 }],
  'set password': [true, false],
  'send username': [undefined],
  // cards
  'list cards': [[card('c1', '1234')], [card('c1', '1234'), card('c2', '5678', { currency: 'USD' })], []],
  'list card rows': [[{ ...card('c1', '1234'), frozenBy: null, pinLocked: false }, { ...card('c2', '5678'), frozen: true, frozenBy: 'support', pinLocked: true }], []],
  'set frozen': [{ ok: true, last4: '1234', frozen: true }, { ok: false, reason: 'support-frozen', last4: '1234' }, { ok: false, reason: 'no-card', last4: '1234' }],
  'check initial pin': [{ ok: true, cardId: 'c1', last4: '1234', proof: 'p1' }, { ok: false, reason: 'no-match' }, { ok: false, reason: 'locked' }],
  'enroll card': [{ ok: true, last4: '1234' }, { ok: false, reason: 'no-match' }, { ok: false, reason: 'expired' }],
  'verify current pin': [{ ok: true, proof: 'p1' }, { ok: false, reason: 'wrong', attemptsLeft: 2 }, { ok: false, reason: 'locked' }, { ok: false, reason: 'no-card' }],
  'prepare new pin': [{ ok: true, pending: 'n1' }, { ok: false, reason: 'trivial' }, { ok: false, reason: 'expired' }],
  'change pin': [{ ok: true }, { ok: false, reason: 'mismatch' }, { ok: false, reason: 'expired' }],
  // money
  'charge options': [{ ok: true, pay: ['USD', 'JPY'], charge: ['JPY'] }, { ok: false, code: 'charge-card-frozen', vars: {} }],
  quote: [
    { ok: true, quote },
    { ok: true, quote: { ...quote, takenAs: 'pay' } },
    { ok: false, code: 'money-amount-invalid', vars: {} },
    { ok: false, code: 'CHARGE.ABOVE_MAX', vars: { limit: 'USD 5,000.00', otherTyped: '10000 JPY', otherPay: 'JPY 10,000', otherGet: 'USD 65.34' } },
    { ok: false, code: 'CHARGE.WHICH_READING', vars: { payPay: 'JPY 3,000', payGet: 'USD 19.60', payTyped: '3000 JPY', getPay: 'JPY 453,000', getGet: 'USD 3,000.00', getTyped: '3000 USD' } },
  ],
  confirm: [{ ok: true, reference: 'CHG-1', fromText: 'USD 10.00', toText: 'JPY 1,500', payKey: 'charge-pay-sandbox', payVars: {} }, { ok: false, code: 'charge-quote-expired', vars: {} }],
  balances: ['JPY 1,500', null],
  'read period': [
    { kind: 'period', period: { from: '2026-11-01', to: '2026-11-28', clamped: false } },
    { kind: 'period', period: { from: '2025-11-01', to: '2026-11-28', clamped: true } },
    { kind: 'from', from: '2026-11-01' },
    { kind: 'error', code: 'history-bad-date', vars: { example: '11/28/2026' } },
  ],
  'quick period': [{ from: '2026-11-01', to: '2026-11-28' }],
  'history page': [
    { from: '2026-11-01', to: '2026-11-28', page: 1, pages: 2, count: 12, lines: '11/28 +1,000 JPY', totals: 'in 1,000 / out 0', hasPrev: false, hasNext: true },
    { from: '2026-11-01', to: '2026-11-28', page: 2, pages: 2, count: 12, lines: '11/01 -500 JPY', totals: 'in 1,000 / out 500', hasPrev: true, hasNext: false },
    { from: '2026-11-01', to: '2026-11-28', page: 1, pages: 0, count: 0, lines: '', totals: '', hasPrev: false, hasNext: false },
  ],
  'history csv': [{ name: 'statement.csv', mime: 'text/csv', content: 'ZGF0ZQo=' }],
  'history chart': [{ png: 'iVBORw0KGgo=', totals: 'JPY: in <b>1 JPY</b>, out <b>0 JPY</b>' }],
  // settings
  'get settings': [{ notifyUsage: true, zone: 'Asia/Tokyo (JST)', operatorZone: 'Asia/Tokyo (JST)', zones: ['Asia/Tokyo', 'Europe/London'] }],
  'set usage notifications': [{ notifyUsage: false }],
  'set time zone': [{ ok: true, zone: 'Europe/London (GMT)' }, { ok: false }],
};

/** Text a cardholder might type, good and bad, tried in every state that waits for text. */
export const SAMPLE_TEXTS = [
  'hello', '   ', 'alice', 'alice@example.com', 'Alice Example', 'Correct-Horse-42', 'TEST42', '1234', '0000', '482913',
  '12345678', '10000', '12.50', '12/31/2026', '01/01/2026 - 01/31/2026', 'yes', '日本語',
];
