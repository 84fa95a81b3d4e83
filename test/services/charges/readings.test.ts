import { describe, expect, it } from 'vitest';
import { decide, readingsOf, typedForm, type Tried } from '../../../src/services/charges/readings.js';
import { ChargeError } from '../../../src/services/charges/errors.js';

const over = new ChargeError('CHARGE.ABOVE_MAX', 'above maximum', { limit: '5,000.00 USD' });
const tried = (currency: string, amount: bigint, refusal: ChargeError | null): Tried<string> => ({ money: { currency, amount }, priced: `${amount} ${currency}`, refusal });

describe('readings of a typed charge amount', () => {
  it('reads a bare number both ways, the charge currency first, and a named currency as named', () => {
    expect(readingsOf('10000', 'JPY', 'USD')).toEqual({ named: false, list: [{ currency: 'USD', amount: 1_000_000n }, { currency: 'JPY', amount: 10_000n }] });
    expect(readingsOf('¥10000', 'JPY', 'USD')).toEqual({ named: true, list: [{ currency: 'JPY', amount: 10_000n }, { currency: 'USD', amount: 1_000_000n }] });
    expect(readingsOf('10000 USD', 'JPY', 'USD').named).toBe(true);
    // 12.50 is no yen amount: the only reading is in dollars.
    expect(readingsOf('12.50', 'JPY', 'USD')).toEqual({ named: false, list: [{ currency: 'USD', amount: 1250n }] });
    expect(readingsOf('5000', 'JPY', 'JPY')).toEqual({ named: true, list: [{ currency: 'JPY', amount: 5000n }] });
    expect(typedForm({ currency: 'USD', amount: 1250n })).toBe('12.50 USD');
  });

  it('asks when both readings fit, takes the one that fits, and refuses naming the other only for a named currency', () => {
    const usd = tried('USD', 300_000n, null);
    const jpy = tried('JPY', 3000n, null);
    expect(decide(false, [usd, jpy])).toEqual({ kind: 'ask', readings: [usd, jpy] });
    const usdOver = tried('USD', 1_000_000n, over);
    expect(decide(false, [usdOver, jpy])).toEqual({ kind: 'quote', pick: jpy, taken: jpy });
    expect(decide(false, [usd, tried('JPY', 100n, over)])).toMatchObject({ kind: 'quote', pick: usd, taken: usd });
    expect(decide(false, [usdOver, tried('JPY', 1n, over)])).toEqual({ kind: 'refuse', refusal: over });
    expect(decide(true, [usdOver, jpy])).toEqual({ kind: 'refuse', refusal: over, fits: jpy });
    expect(decide(true, [usd, jpy])).toEqual({ kind: 'quote', pick: usd });
    expect(decide(false, [usdOver])).toEqual({ kind: 'refuse', refusal: over });
  });
});
