import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, luhnCheckDigit } from '../../src/domain/cards/luhn.js';
import { isLast4, pinProblem } from '../../src/domain/cards/pin-rules.js';
import { isCardNumberFor, newCardNumber, newInitialPin } from '../../src/services/cards/numbers.js';

describe('Luhn', () => {
  it('accepts known valid numbers and rejects one-digit changes', () => {
    for (const n of ['79927398713', '4111111111111111', '5555555555554444', '378282246310005']) expect(isLuhnValid(n)).toBe(true);
    for (const n of ['79927398710', '4111111111111112', '1234567812345678', '', '7', '4111-1111-1111-1111']) expect(isLuhnValid(n)).toBe(false);
  });

  it('the check digit makes any payload valid, and any single-digit error is caught', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,18}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, pos, delta) => {
        const n = payload + luhnCheckDigit(payload);
        expect(isLuhnValid(n)).toBe(true);
        const i = pos % n.length;
        const changed = n.slice(0, i) + String((Number(n[i]) + delta) % 10) + n.slice(i + 1);
        expect(isLuhnValid(changed)).toBe(false);
      }),
    );
  });

  it('new card numbers are 16 digits under the BIN and Luhn-valid', () => {
    for (let i = 0; i < 1000; i++) {
      const pan = newCardNumber('999901');
      expect(isCardNumberFor('999901', pan)).toBe(true);
    }
    expect(isCardNumberFor('12345678', newCardNumber('12345678'))).toBe(true);
    expect(isCardNumberFor('999901', '4111111111111111')).toBe(false);
  });
});

describe('PIN rules', () => {
  it.each([
    ['0000', 'trivial'],
    ['1234', 'trivial'],
    ['1111', 'repeated'],
    ['9999', 'repeated'],
    ['1212', 'repeated'],
    ['0909', 'repeated'],
    ['2345', 'sequential'],
    ['6789', 'sequential'],
    ['7890', 'sequential'],
    ['9012', 'sequential'],
    ['4321', 'sequential'],
    ['3210', 'sequential'],
    ['1098', 'sequential'],
    ['123', 'format'],
    ['12345', 'format'],
    ['12 4', 'format'],
    ['12a4', 'format'],
    [' 5821', 'format'],
    ['５８２１', 'format'],
  ])('%j is refused as %s', (pin, why) => {
    expect(pinProblem(pin)).toBe(why);
  });

  it.each(['5821', '1357', '2468', '1122', '9182', '0147', '1235'])('%s is fine', (pin) => {
    expect(pinProblem(pin)).toBeNull();
  });

  it('initial PINs pass the rules and use the whole space', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = newInitialPin();
      expect(pinProblem(p)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBeGreaterThan(1500);
  });

  it('last 4 is exactly four ASCII digits', () => {
    expect(isLast4('1234')).toBe(true);
    for (const t of ['123', '12345', 'abcd', '12 4', '']) expect(isLast4(t)).toBe(false);
  });
});
