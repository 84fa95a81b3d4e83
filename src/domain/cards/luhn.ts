/** Luhn (mod 10) check digits for card numbers. Pure. */

/** The check digit that makes `payload` + digit Luhn-valid. */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError('payload must be digits');
  let sum = 0;
  // Walking from the right, the digit next to the (future) check digit is doubled first.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Is this string of digits a Luhn-valid number? */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}
