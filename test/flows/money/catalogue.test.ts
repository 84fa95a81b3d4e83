import { describe, expect, it } from 'vitest';
import { errorKey } from '../../../flows/charge/machine.js';
import { Catalogue } from '../../../src/i18n/i18n.js';

const codes = [
  'MONEY.UNKNOWN_CURRENCY', 'MONEY.EMPTY', 'MONEY.NOT_A_NUMBER', 'MONEY.TOO_MANY_DECIMALS', 'MONEY.NEGATIVE', 'MONEY.ZERO', 'MONEY.TOO_LARGE',
  'MONEY.CURRENCY_MISMATCH', 'MONEY.BAD_RATE', 'CHARGE.CARD_UNAVAILABLE', 'CHARGE.CARD_FROZEN', 'CHARGE.CURRENCY_NOT_OFFERED', 'CHARGE.NO_RATE',
  'CHARGE.RATE_STALE', 'CHARGE.BELOW_MIN', 'CHARGE.ABOVE_MAX', 'CHARGE.DAILY_LIMIT', 'CHARGE.BALANCE_LIMIT', 'CHARGE.QUOTE_NOT_FOUND',
  'CHARGE.QUOTE_EXPIRED', 'CHARGE.NOT_FOUND', 'CHARGE.NOT_PENDING',
];

describe('money catalogue', () => {
  it('has a message in both languages for every refusal, decline, kind and notice the money code can say', () => {
    const c = new Catalogue();
    const keys = [
      ...codes.map(errorKey),
      ...['bad-format', 'impossible-date', 'reversed', 'too-long', 'future'].map((k) => `history-err-${k}`),
      ...['insufficient-funds', 'card-frozen', 'card-closed', 'card-not-enrolled'].map((k) => `usage-declined-${k}`),
      ...['purchase', 'atm', 'refund'].map((k) => `usage-approved-${k}`),
      ...['charge', 'purchase', 'atm', 'refund', 'reversal', 'transfer'].map((k) => `history-kind-${k}`),
      'charge-pay-sandbox', 'charge-pay-external', 'charge-completed', 'charge-failed', 'charge-expired',
      'mail-charge-completed-subject', 'mail-charge-completed-text',
      'charge-held-late', 'charge-held-card-closed', 'charge-payment-returned', 'charge-reversed', 'usage-refunded-support',
      'mail-charge-reversed-subject', 'mail-charge-reversed-text',
    ];
    for (const lang of ['en', 'ja'] as const) expect(keys.filter((k) => !c.has(lang, k)), lang).toEqual([]);
    const ids = (lang: 'en' | 'ja') => c.ids(lang).filter((k) => /^(charge|usage|balance|history|settings)-/.test(k)).sort();
    expect(ids('ja')).toEqual(ids('en'));
  });
});
