import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENCY_CODES, MoneyError, ROUNDING_MODES, convert, currency, displayRate, divide, formatMoney, invert, parseAmount,
  parseRate, priceCharge, rate, rateToString, toDecimal,
} from '../../../src/domain/money/index.js';

const code = fc.constantFrom(...CURRENCY_CODES);
const positive = fc.bigInt({ min: 1n, max: 10n ** 14n });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof MoneyError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('currencies', () => {
  it('knows the ISO 4217 exponents', () => {
    expect(Object.fromEntries(CURRENCY_CODES.map((c) => [c, currency(c).exponent]))).toEqual({
      JPY: 0, USD: 2, EUR: 2, GBP: 2, AUD: 2, CAD: 2, CHF: 2, CNY: 2, HKD: 2, SGD: 2, KRW: 0, THB: 2, KWD: 3,
    });
    expect(refusal(() => currency('XXX'))).toBe('MONEY.UNKNOWN_CURRENCY');
  });
});

describe('parsing what people type', () => {
  it.each([
    ['1,000', 'JPY', 1000n, 'JPY'],
    ['12.5', 'USD', 1250n, 'USD'],
    ['¥1000', 'USD', 1000n, 'JPY'],
    ['￥１，０００', 'USD', 1000n, 'JPY'],
    ['1000円', 'USD', 1000n, 'JPY'],
    ['100 usd', 'JPY', 10000n, 'USD'],
    ['USD 100', 'JPY', 10000n, 'USD'],
    ['$0.99', 'JPY', 99n, 'USD'],
    ['1.234 KWD', 'JPY', 1234n, 'KWD'],
    ['1000.00', 'JPY', 1000n, 'JPY'],
    ['A$5', 'JPY', 500n, 'AUD'],
  ])('%s (default %s) → %s %s', (text, fallback, amount, cur) => {
    expect(parseAmount(text, { fallback })).toEqual({ amount, currency: cur });
  });

  it.each([
    ['', 'MONEY.EMPTY'],
    ['abc', 'MONEY.NOT_A_NUMBER'],
    ['1,00', 'MONEY.NOT_A_NUMBER'],
    ['12.5.1', 'MONEY.NOT_A_NUMBER'],
    ['12.5', 'MONEY.TOO_MANY_DECIMALS'],
    ['1.001 USD', 'MONEY.TOO_MANY_DECIMALS'],
    ['-5', 'MONEY.NEGATIVE'],
    ['−5', 'MONEY.NEGATIVE'],
    ['-$5', 'MONEY.NEGATIVE'],
    ['0', 'MONEY.ZERO'],
    ['0.00 USD', 'MONEY.ZERO'],
    ['1000000000000000', 'MONEY.TOO_LARGE'],
    ['100 XYZ', 'MONEY.UNKNOWN_CURRENCY'],
    ['100 EUR', 'MONEY.CURRENCY_MISMATCH'],
    ['1e5', 'MONEY.NOT_A_NUMBER'],
  ])('refuses %j with %s', (text, code) => {
    expect(refusal(() => parseAmount(text, { fallback: 'JPY', allowed: ['JPY', 'USD'] }))).toBe(code);
  });

  it('needs a currency when there is no fallback', () => {
    expect(refusal(() => parseAmount('100'))).toBe('MONEY.UNKNOWN_CURRENCY');
  });

  it('round-trips every formatted amount in both languages (property)', () => {
    fc.assert(
      fc.property(code, positive, fc.constantFrom('en' as const, 'ja' as const), (c, amount, lang) => {
        fc.pre(amount < 10n ** BigInt(12 + currency(c).exponent));
        const shown = formatMoney(amount, c, lang);
        expect(parseAmount(shown, { fallback: c })).toEqual({ amount, currency: c });
        expect(parseAmount(toDecimal(amount, c), { fallback: c })).toEqual({ amount, currency: c });
      }),
    );
  });

  it('never accepts more decimals than the currency has (property)', () => {
    fc.assert(
      fc.property(code, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), (c, lastDigit, extra) => {
        const e = currency(c).exponent;
        const text = `1.${'0'.repeat(e + extra - 1)}${lastDigit} ${c}`;
        expect(refusal(() => parseAmount(text))).toBe('MONEY.TOO_MANY_DECIMALS');
      }),
    );
  });
});

describe('formatting', () => {
  it('formats per language without rounding', () => {
    expect(formatMoney(1234567n, 'JPY', 'en')).toBe('1,234,567 JPY');
    expect(formatMoney(1234567n, 'JPY', 'ja')).toBe('1,234,567円');
    expect(formatMoney(5n, 'USD', 'en')).toBe('0.05 USD');
    expect(formatMoney(-123456n, 'KWD', 'ja')).toBe('-123.456 KWD');
  });
});

describe('rounding modes', () => {
  it('match their definitions on examples', () => {
    const cases: [bigint, bigint, Record<string, bigint>][] = [
      [7n, 2n, { floor: 3n, ceil: 4n, down: 3n, up: 4n, 'half-up': 4n, 'half-even': 4n }],
      [5n, 2n, { floor: 2n, ceil: 3n, down: 2n, up: 3n, 'half-up': 3n, 'half-even': 2n }],
      [-7n, 2n, { floor: -4n, ceil: -3n, down: -3n, up: -4n, 'half-up': -4n, 'half-even': -4n }],
      [10n, 3n, { floor: 3n, ceil: 4n, down: 3n, up: 4n, 'half-up': 3n, 'half-even': 3n }],
    ];
    for (const [n, d, want] of cases) for (const m of ROUNDING_MODES) expect(divide(n, d, m), `${n}/${d} ${m}`).toBe(want[m]);
  });

  it('stay within one unit of the exact quotient, on the promised side (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const fl = divide(n, d, 'floor');
        const ce = divide(n, d, 'ceil');
        expect(fl * d <= n && n < (fl + 1n) * d).toBe(true);
        expect(ce * d >= n && n > (ce - 1n) * d).toBe(true);
        for (const m of ROUNDING_MODES) {
          const q = divide(n, d, m);
          expect(q === fl || q === ce).toBe(true);
        }
      }),
    );
  });
});

describe('FX maths', () => {
  it('parses rates exactly', () => {
    expect(parseRate('151.2345')).toEqual(rate(1512345n, 10000n));
    expect(parseRate(rateToString(parseRate('0.0066')))).toEqual(parseRate('0.0066'));
    expect(displayRate(invert(parseRate('150')))).toBe('0.006666');
    for (const bad of ['0', '-1', 'abc', '1e3', '1.0000000000001', '']) expect(refusal(() => parseRate(bad)), bad).toBe('MONEY.BAD_RATE');
  });

  it('converts JPY → USD with the documented example', () => {
    // 15,000 JPY at 1 JPY = 0.0066 USD, 1% spread, 2% fee: 14,700 × 0.006534 = 96.0498 → 96.04 USD; at mid 97.02.
    const p = priceCharge({ from: 'JPY', to: 'USD', mid: parseRate('0.0066'), spreadBps: 100, feeBps: 200, amount: 15000n, side: 'pay' });
    expect(p).toMatchObject({ fromAmount: 15000n, fee: 300n, principal: 14700n, toAmount: 9604n, spread: 98n });
  });

  const priceInput = fc.record({
    from: code,
    to: code,
    rateText: fc.tuple(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 0, max: 6 })).map(([n, scale]) => (n / 10 ** scale).toFixed(scale)),
    spreadBps: fc.integer({ min: 0, max: 500 }),
    feeBps: fc.integer({ min: 0, max: 500 }),
    amount: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    side: fc.constantFrom('pay' as const, 'receive' as const),
  });

  it('never gives the customer more than the rate allows and always balances (property)', () => {
    fc.assert(
      fc.property(priceInput, (i) => {
        const mid = i.from === i.to ? rate(1n, 1n) : parseRate(i.rateText);
        let p;
        try {
          p = priceCharge({ from: i.from, to: i.to, mid, spreadBps: i.from === i.to ? 0 : i.spreadBps, feeBps: i.feeBps, amount: i.amount, side: i.side });
        } catch (err) {
          if (err instanceof MoneyError && err.code === 'MONEY.ZERO') return; // too small to convert
          throw err;
        }
        const ef = 10n ** BigInt(currency(i.from).exponent);
        const et = 10n ** BigInt(currency(i.to).exponent);
        // What lands on the card is at most principal × customer rate, exactly compared.
        expect(p.toAmount * p.customerRate.den * ef <= p.principal * p.customerRate.num * et).toBe(true);
        // The fee is at least the fee bps of the total.
        expect(p.fee * 10_000n >= p.fromAmount * BigInt(i.feeBps)).toBe(true);
        expect(p.fee + p.principal).toBe(p.fromAmount);
        expect(p.spread >= 0n).toBe(true);
        // The spread is the mid-rate value of the principal less what the card got.
        expect(p.toAmount + p.spread).toBe(convert(p.principal, i.from, i.to, mid, 'floor'));
        if (i.side === 'pay') expect(p.fromAmount).toBe(i.amount);
        else expect(p.toAmount).toBe(i.amount);
      }),
    );
  });

  it('asks no more than one minor unit too much when the card amount is named (property)', () => {
    fc.assert(
      fc.property(priceInput, (i) => {
        fc.pre(i.from !== i.to);
        const mid = parseRate(i.rateText);
        const p = priceCharge({ from: i.from, to: i.to, mid, spreadBps: i.spreadBps, feeBps: i.feeBps, amount: i.amount, side: 'receive' });
        // One unit less total would not cover what lands on the card.
        const less = p.fromAmount - 1n;
        const lessFee = (less * BigInt(i.feeBps) + 9_999n) / 10_000n;
        expect(convert(less - lessFee, i.from, i.to, p.customerRate, 'floor') < p.toAmount || less - lessFee <= 0n).toBe(true);
      }),
    );
  });
});
