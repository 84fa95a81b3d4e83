import { CURRENCIES, currency } from './currency.js';
import { MoneyError } from './errors.js';

/** An amount as people mean it: minor units of a currency. */
export interface Money {
  readonly amount: bigint;
  readonly currency: string;
}

/** Amounts with more than this many digits before the decimal point are refused as absurd. */
export const MAX_MAJOR_DIGITS = 12;

/** Symbols (and the Japanese 円) people type for a currency; longest first so `A$` wins over `$`. */
const SYMBOLS: [string, string][] = ([
  ...[...CURRENCIES.values()].filter((c) => c.symbol !== c.code).map((c): [string, string] => [c.symbol, c.code]),
  ['円', 'JPY'],
  ['元', 'CNY'],
  ['US$', 'USD'],
] as [string, string][]).sort((a, b) => b[0].length - a[0].length);

/** Options for {@link parseAmount}. */
export interface ParseOptions {
  /** Currencies the answer may be in; an explicit other currency is refused with `MONEY.CURRENCY_MISMATCH`. */
  allowed?: readonly string[];
  /** Currency assumed when the text names none. Without it, a bare number is refused as `MONEY.UNKNOWN_CURRENCY`. */
  fallback?: string;
}

/**
 * Parses what a person types as an amount: `1,000`, `12.5`, `¥1000`, `1000円`, `100 usd`, `USD 100`,
 * full-width digits. Refuses (throws {@link MoneyError}) with a code: `MONEY.EMPTY`,
 * `MONEY.NOT_A_NUMBER`, `MONEY.NEGATIVE`, `MONEY.ZERO`, `MONEY.TOO_MANY_DECIMALS`, `MONEY.TOO_LARGE`,
 * `MONEY.UNKNOWN_CURRENCY`, `MONEY.CURRENCY_MISMATCH`.
 */
export function parseAmount(text: string, opts: ParseOptions = {}): Money {
  // NFKC turns full-width digits, commas and ￥ into their ASCII / common forms.
  let s = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (!s) throw new MoneyError('MONEY.EMPTY', 'no amount given');
  let negative = false;
  const stripMinus = () => {
    const m = /^[-−–]\s*/.exec(s);
    if (m) {
      negative = true;
      s = s.slice(m[0].length);
    }
  };
  stripMinus();
  let code: string | undefined;
  const take = (found: string) => {
    if (code && code !== found) throw new MoneyError('MONEY.NOT_A_NUMBER', 'two currencies given');
    code = found;
  };
  // Leading currency: a code (`USD 100`) or a symbol (`$100`, `¥1000`).
  const lead = /^([A-Za-z]{3})(?=[\s\d.,-])\s*/.exec(s);
  if (lead) {
    take(lead[1]!.toUpperCase());
    s = s.slice(lead[0].length);
  } else {
    const sym = SYMBOLS.find(([symbol]) => s.toUpperCase().startsWith(symbol.toUpperCase()));
    if (sym) {
      take(sym[1]);
      s = s.slice(sym[0].length).trim();
    }
  }
  stripMinus();
  // Trailing currency: `100 usd`, `1000円`, `100$`.
  const trail = /\s*([A-Za-z]{3})$/.exec(s);
  if (trail) {
    take(trail[1]!.toUpperCase());
    s = s.slice(0, trail.index);
  } else {
    const sym = SYMBOLS.find(([symbol]) => s.toUpperCase().endsWith(symbol.toUpperCase()));
    if (sym) {
      take(sym[1]);
      s = s.slice(0, s.length - sym[0].length).trim();
    }
  }
  s = s.trim();
  if (!/^(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/.test(s) || s === '' || s === '.') throw new MoneyError('MONEY.NOT_A_NUMBER', 'not a number');
  if (code !== undefined && !CURRENCIES.has(code)) throw new MoneyError('MONEY.UNKNOWN_CURRENCY', `unknown currency ${code}`);
  if (code !== undefined && opts.allowed && !opts.allowed.includes(code)) throw new MoneyError('MONEY.CURRENCY_MISMATCH', `${code} is not one of ${opts.allowed.join(', ')}`);
  const cur = code ?? opts.fallback;
  if (!cur) throw new MoneyError('MONEY.UNKNOWN_CURRENCY', 'no currency given');
  const { exponent } = currency(cur);
  const [intPartRaw = '', fracRaw = ''] = s.replace(/,/g, '').split('.');
  const intPart = intPartRaw.replace(/^0+/, '');
  // Trailing zeros beyond the currency's exponent do not change the value (`1000.00` yen is fine).
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > exponent) throw new MoneyError('MONEY.TOO_MANY_DECIMALS', `${cur} has ${exponent} decimal places`);
  if (intPart.length > MAX_MAJOR_DIGITS) throw new MoneyError('MONEY.TOO_LARGE', 'amount too large');
  const amount = BigInt((intPart || '0') + frac.padEnd(exponent, '0'));
  if (negative && amount !== 0n) throw new MoneyError('MONEY.NEGATIVE', 'negative amount');
  if (amount === 0n) throw new MoneyError('MONEY.ZERO', 'zero amount');
  return { amount, currency: cur };
}

/**
 * Parses an operator-entered decimal (CLI, config) into minor units of `code`, with the same
 * refusals as {@link parseAmount}.
 */
export function parseDecimal(text: string, code: string): bigint {
  return parseAmount(text, { fallback: code, allowed: [code] }).amount;
}
