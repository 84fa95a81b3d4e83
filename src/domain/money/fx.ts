import { currency } from './currency.js';
import { MoneyError } from './errors.js';
import { divide, type RoundingMode } from './rounding.js';

/** An exchange rate as an exact fraction: 1 major unit of the base buys num/den major units of the quote. */
export interface Rate {
  readonly num: bigint;
  readonly den: bigint;
}

/** Most decimals an operator may give a rate. */
export const MAX_RATE_DECIMALS = 12;
const BPS = 10_000n;

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** A reduced positive rate. */
export function rate(num: bigint, den: bigint): Rate {
  if (num <= 0n || den <= 0n) throw new MoneyError('MONEY.BAD_RATE', 'a rate must be positive');
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

/**
 * Parses a rate written as a decimal (`151.2345`, `0.0066`) or an exact fraction (`1000/151`).
 * Refuses zero, negatives, exponents, more than {@link MAX_RATE_DECIMALS} decimals, absurd sizes.
 */
export function parseRate(text: string): Rate {
  const s = text.trim();
  const frac = /^(\d{1,18})\/(\d{1,18})$/.exec(s);
  if (frac) return rate(BigInt(frac[1]!), BigInt(frac[2]!));
  const m = /^(\d{1,9})(?:\.(\d+))?$/.exec(s);
  if (!m) throw new MoneyError('MONEY.BAD_RATE', 'a rate is a positive decimal such as 151.25');
  const decimals = (m[2] ?? '').replace(/0+$/, '');
  if (decimals.length > MAX_RATE_DECIMALS) throw new MoneyError('MONEY.BAD_RATE', `at most ${MAX_RATE_DECIMALS} decimals`);
  return rate(BigInt(m[1]! + decimals), 10n ** BigInt(decimals.length));
}

/** The exact text of a rate for storage: `num/den`, parsed back by {@link parseRate}. */
export function rateToString(r: Rate): string {
  return `${r.num}/${r.den}`;
}

/** A rate shown to people: a decimal rounded down to `decimals` places (display only, never for maths). */
export function displayRate(r: Rate, decimals = 6): string {
  const scaled = divide(r.num * 10n ** BigInt(decimals), r.den, 'floor').toString().padStart(decimals + 1, '0');
  const int = scaled.slice(0, scaled.length - decimals);
  const fracPart = scaled.slice(scaled.length - decimals).replace(/0+$/, '');
  return fracPart ? `${int}.${fracPart}` : int;
}

/** The reverse direction's rate (exact). */
export function invert(r: Rate): Rate {
  return rate(r.den, r.num);
}

/** The rate the customer gets: the mid rate less a spread in basis points (exact). */
export function withSpread(mid: Rate, spreadBps: number): Rate {
  if (!Number.isInteger(spreadBps) || spreadBps < 0 || spreadBps >= 10_000) throw new MoneyError('MONEY.BAD_RATE', 'spread must be 0 to 9999 bps');
  return rate(mid.num * (BPS - BigInt(spreadBps)), mid.den * BPS);
}

/** Converts minor units of `from` into minor units of `to` at `r` (from→to), rounding with `mode`. */
export function convert(amount: bigint, from: string, to: string, r: Rate, mode: RoundingMode): bigint {
  const ef = 10n ** BigInt(currency(from).exponent);
  const et = 10n ** BigInt(currency(to).exponent);
  return divide(amount * r.num * et, r.den * ef, mode);
}

/** Which amount the customer typed: what they pay (from) or what lands on the card (to). */
export type QuoteSide = 'pay' | 'receive';

/** The priced charge: every amount in minor units of its currency. */
export interface Priced {
  /** Total the customer pays, in `from`, fee included. */
  fromAmount: bigint;
  /** Part of `fromAmount` kept as fee (revenue), in `from`. */
  fee: bigint;
  /** `fromAmount - fee`: what is converted, in `from`. */
  principal: bigint;
  /** What lands on the card, in `to`. */
  toAmount: bigint;
  /** Mid-rate value of the principal less `toAmount`: the spread, revenue in `to`. */
  spread: bigint;
  /** The rate the customer gets (after spread). */
  customerRate: Rate;
}

/** Inputs of {@link priceCharge}. */
export interface PriceInput {
  from: string;
  to: string;
  /** Mid rate from→to. */
  mid: Rate;
  spreadBps: number;
  feeBps: number;
  amount: bigint;
  side: QuoteSide;
}

/**
 * Prices a charge. Rounding rules (documented, in the operator's favour, never the customer's by
 * accident): the fee rounds up (`ceil` of the total × fee bps); what lands on the card rounds down
 * (`floor` of principal × customer rate); when the customer names what should land on the card, the
 * principal needed rounds up. Same currency: pass a 1/1 mid rate and 0 spread.
 */
export function priceCharge(p: PriceInput): Priced {
  if (!Number.isInteger(p.feeBps) || p.feeBps < 0 || p.feeBps >= 10_000) throw new MoneyError('MONEY.BAD_RATE', 'fee must be 0 to 9999 bps');
  if (p.amount <= 0n) throw new MoneyError('MONEY.ZERO', 'amount must be positive');
  const cust = withSpread(p.mid, p.spreadBps);
  const f = BigInt(p.feeBps);
  const feeOf = (total: bigint) => divide(total * f, BPS, 'ceil');
  let fromAmount: bigint;
  let toAmount: bigint;
  if (p.side === 'pay') {
    fromAmount = p.amount;
    toAmount = convert(fromAmount - feeOf(fromAmount), p.from, p.to, cust, 'floor');
  } else {
    toAmount = p.amount;
    const needed = convert(p.amount, p.to, p.from, invert(cust), 'ceil');
    // Smallest total whose principal (after the rounded-up fee) still covers what is needed.
    fromAmount = divide(needed * BPS, BPS - f, 'ceil');
    while (fromAmount - feeOf(fromAmount) < needed) fromAmount += 1n;
  }
  const fee = feeOf(fromAmount);
  const principal = fromAmount - fee;
  if (toAmount <= 0n || principal <= 0n) throw new MoneyError('MONEY.ZERO', 'amount too small to convert');
  const atMid = convert(principal, p.from, p.to, p.mid, 'floor');
  return { fromAmount, fee, principal, toAmount, spread: atMid - toAmount, customerRate: cust };
}
