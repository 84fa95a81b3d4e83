import { currency } from './currency.js';
import { MoneyError } from './errors.js';
import { parseDecimal } from './parse.js';

/** Per-currency amounts (minor units), e.g. the largest charge allowed in each charge currency. */
export type CurrencyLimits = ReadonlyMap<string, bigint>;

/**
 * Parses a limit list as configured: `JPY 1000, USD 10, KWD 3.5` (currency code, then a decimal in
 * major units). Throws {@link MoneyError} naming the bad item.
 */
export function parseLimits(text: string): CurrencyLimits {
  const out = new Map<string, bigint>();
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]{3})\s+(\S+)$/.exec(item);
    if (!m) throw new MoneyError('MONEY.NOT_A_NUMBER', `"${item}" is not "<ISO code> <amount>"`);
    const code = currency(m[1]!).code;
    out.set(code, parseDecimal(m[2]!, code));
  }
  return out;
}
