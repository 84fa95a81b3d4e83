/** What a card PIN must look like and which PINs are too easy to guess. Pure. */

/** A PIN is exactly four digits (ATM PINs printed on the mailer). */
export const PIN_PATTERN = /^\d{4}$/;

/** Why a new PIN is refused. */
export type PinProblem = 'format' | 'trivial' | 'repeated' | 'sequential';

/** Does this text have the shape of a PIN (four digits, nothing else)? */
export function looksLikePin(text: string): boolean {
  return PIN_PATTERN.test(text.trim());
}

/**
 * Checks a PIN a cardholder chose (or one the issuer drew). Refuses the well-known PINs, one digit
 * repeated or a repeated pair (1111, 1212), and runs up or down (1234, 4321, 8901 — wrapping past 9
 * too, as people type them on a keypad). The "same as the current PIN" rule needs the stored hash,
 * so the cards service checks that one.
 */
export function pinProblem(pin: string): PinProblem | null {
  if (!PIN_PATTERN.test(pin)) return 'format';
  if (pin === '0000' || pin === '1234') return 'trivial';
  const d = [...pin].map(Number);
  if (d.every((x) => x === d[0]) || (d[0] === d[2] && d[1] === d[3])) return 'repeated';
  const steps = d.slice(1).map((x, i) => (x - d[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequential';
  return null;
}

/** Last 4 digits of a card number, as typed: exactly four digits. */
export function isLast4(text: string): boolean {
  return /^\d{4}$/.test(text);
}
