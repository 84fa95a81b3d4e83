import { convert, invert, parseRate } from '../../domain/money/index.js';
import { cardAccount, operatorAccount, type PostingInput } from '../ledger/index.js';

/**
 * The ledger legs of a completed charge. Same currency: card +to, fee +fee, funding −paid. FX: the
 * paid currency leaves funding into FX liquidity (principal) and revenue (fee); the card currency
 * leaves FX liquidity at the mid rate into the card and revenue (spread).
 */
export function chargePostings(c: { cardId: string; fromCurrency: string; fromAmount: bigint; toCurrency: string; toAmount: bigint; fee: bigint }, spread: bigint): PostingInput[] {
  const legs: PostingInput[] = [{ account: operatorAccount('funding', c.fromCurrency), amount: -c.fromAmount }];
  if (c.fromCurrency === c.toCurrency) {
    // Same currency: the principal lands on the card; a rounding remainder (never negative) is revenue.
    const revenue = c.fromAmount - c.toAmount;
    if (revenue > 0n) legs.push({ account: operatorAccount('fee', c.fromCurrency), amount: revenue });
    legs.push({ account: cardAccount(c.cardId, c.toCurrency), amount: c.toAmount });
    return legs;
  }
  if (c.fee > 0n) legs.push({ account: operatorAccount('fee', c.fromCurrency), amount: c.fee });
  legs.push({ account: operatorAccount('fx', c.fromCurrency), amount: c.fromAmount - c.fee });
  legs.push({ account: operatorAccount('fx', c.toCurrency), amount: -(c.toAmount + spread) });
  if (spread > 0n) legs.push({ account: operatorAccount('fee', c.toCurrency), amount: spread });
  legs.push({ account: cardAccount(c.cardId, c.toCurrency), amount: c.toAmount });
  return legs;
}

/** The spread of a charge priced from the stored rate row (`base`, `rate` text). */
export function spreadAt(c: { fromCurrency: string; toCurrency: string; fromAmount: bigint; fee: bigint; toAmount: bigint }, base: string, rateText: string): bigint {
  if (c.fromCurrency === c.toCurrency) return 0n;
  const r = parseRate(rateText);
  const mid = base === c.fromCurrency ? r : invert(r);
  const spread = convert(c.fromAmount - c.fee, c.fromCurrency, c.toCurrency, mid, 'floor') - c.toAmount;
  return spread > 0n ? spread : 0n;
}
