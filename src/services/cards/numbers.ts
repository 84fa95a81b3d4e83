import { randomInt } from 'node:crypto';
import { isLuhnValid, luhnCheckDigit } from '../../domain/cards/luhn.js';
import { pinProblem } from '../../domain/cards/pin-rules.js';

/** Card numbers are 16 digits: the BIN, random account digits, a Luhn check digit. */
export const CARD_NUMBER_LENGTH = 16;

/** A new random Luhn-valid card number under `bin` (cryptographic randomness). */
export function newCardNumber(bin: string): string {
  let body = bin;
  while (body.length < CARD_NUMBER_LENGTH - 1) body += String(randomInt(10));
  return body + luhnCheckDigit(body);
}

/** Is `pan` a number this issuer could have made under `bin`? */
export function isCardNumberFor(bin: string, pan: string): boolean {
  return pan.length === CARD_NUMBER_LENGTH && pan.startsWith(bin) && isLuhnValid(pan);
}

/** A random initial PIN that passes the same rules a cardholder's own PIN must pass. */
export function newInitialPin(): string {
  for (;;) {
    const pin = String(randomInt(10_000)).padStart(4, '0');
    if (pinProblem(pin) === null) return pin;
  }
}

/** Groups a card number for printing: 9999 0112 3456 7890. */
export function formatCardNumber(pan: string): string {
  return pan.replace(/(\d{4})(?=\d)/g, '$1 ');
}
