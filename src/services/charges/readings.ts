/**
 * The readings of a typed charge amount. A bare number (`10000`) for a charge paid in one currency
 * and landing in another could mean either: the flow's prompt takes it in the charge currency
 * unless it says otherwise. Each reading is priced and checked against the limits: when both fit
 * the person chooses, when one fits it is taken (and said), and a refusal names the other reading
 * when that one would fit.
 */
import { MoneyError, parseAmount, toDecimal, type Money, type QuoteSide } from '../../domain/money/index.js';
import { ChargeError } from './errors.js';

/** What a typed amount may mean: the prompt's reading first, then the other (when there is one). */
export interface Readings {
  /** The currency was named (`10000 JPY`): the first reading is what was typed. */
  named: boolean;
  list: Money[];
}

/** Reads `text` for a charge from `from` to `to`; throws {@link MoneyError} when it is no amount at all. */
export function readingsOf(text: string, from: string, to: string): Readings {
  const allowed = [...new Set([from, to])];
  const first = parseAmount(text, { allowed, fallback: to });
  if (from === to) return { named: true, list: [first] };
  // Read with the other fallback: the same currency means it was named (`¥10000`, `10000 USD`).
  const named = attempt(() => parseAmount(text, { allowed, fallback: from }))?.currency === first.currency;
  // The same digits in the other currency (they may not fit it: 12.50 is no JPY amount).
  const otherCurrency = first.currency === to ? from : to;
  const other = attempt(() => parseAmount(text.replace(/[^\d.,\s\uFF10-\uFF19\uFF0C\uFF0E]/g, ' ').trim(), { allowed: [otherCurrency], fallback: otherCurrency }));
  return { named, list: other ? [first, other] : [first] };
}

/** A parse that may be refused: null then. */
function attempt(read: () => Money): Money | null {
  try {
    return read();
  } catch (err) {
    if (err instanceof MoneyError) return null;
    throw err;
  }
}

/** The side of a quote a reading prices: what lands on the card (`receive`) or what is paid (`pay`). */
export function sideOf(m: Money, to: string): QuoteSide {
  return m.currency === to ? 'receive' : 'pay';
}

/** A reading as the person would type it to mean just that: `10000 JPY`. */
export function typedForm(m: Money): string {
  return `${toDecimal(m.amount, m.currency)} ${m.currency}`;
}

/** A priced reading, and the refusal of the limits if it has one. */
export interface Tried<P> {
  money: Money;
  priced: P;
  refusal: ChargeError | null;
}

/** What to do with the tried readings: quote one (with a word when it was chosen for the person), ask, or refuse. */
export type Decision<P> =
  | { kind: 'quote'; pick: Tried<P>; taken?: Tried<P> }
  | { kind: 'ask'; readings: [Tried<P>, Tried<P>] }
  | { kind: 'refuse'; refusal: ChargeError; fits?: Tried<P> };

/** Decides between the readings (see the file's comment). */
export function decide<P>(named: boolean, tried: Tried<P>[]): Decision<P> {
  const [first, other] = tried as [Tried<P>, Tried<P> | undefined];
  if (!other) return first.refusal ? { kind: 'refuse', refusal: first.refusal } : { kind: 'quote', pick: first };
  if (named) return first.refusal ? { kind: 'refuse', refusal: first.refusal, ...(other.refusal ? {} : { fits: other }) } : { kind: 'quote', pick: first };
  if (!first.refusal && !other.refusal) return { kind: 'ask', readings: [first, other] };
  if (!first.refusal) return { kind: 'quote', pick: first, taken: first };
  if (!other.refusal) return { kind: 'quote', pick: other, taken: other };
  return { kind: 'refuse', refusal: first.refusal };
}
