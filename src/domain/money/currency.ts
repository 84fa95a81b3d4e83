import { MoneyError } from './errors.js';

/** An ISO 4217 currency: its code, how many minor-unit digits it has, and a symbol people type. */
export interface Currency {
  readonly code: string;
  readonly exponent: number;
  readonly symbol: string;
}

const LIST: Currency[] = [
  { code: 'JPY', exponent: 0, symbol: '¥' },
  { code: 'USD', exponent: 2, symbol: '$' },
  { code: 'EUR', exponent: 2, symbol: '€' },
  { code: 'GBP', exponent: 2, symbol: '£' },
  { code: 'AUD', exponent: 2, symbol: 'A$' },
  { code: 'CAD', exponent: 2, symbol: 'C$' },
  { code: 'CHF', exponent: 2, symbol: 'CHF' },
  { code: 'CNY', exponent: 2, symbol: 'CN¥' },
  { code: 'HKD', exponent: 2, symbol: 'HK$' },
  { code: 'SGD', exponent: 2, symbol: 'S$' },
  { code: 'KRW', exponent: 0, symbol: '₩' },
  { code: 'THB', exponent: 2, symbol: '฿' },
  { code: 'KWD', exponent: 3, symbol: 'KD' },
];

/** Every supported currency by code. */
export const CURRENCIES: ReadonlyMap<string, Currency> = new Map(LIST.map((c) => [c.code, c]));

/** Supported currency codes in a stable order (JPY first: the operator's home currency). */
export const CURRENCY_CODES: readonly string[] = LIST.map((c) => c.code);

/** Is this a supported ISO 4217 code (upper case)? */
export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

/** The currency for a code (case-insensitive); throws `MONEY.UNKNOWN_CURRENCY` otherwise. */
export function currency(code: string): Currency {
  const c = CURRENCIES.get(code.trim().toUpperCase());
  if (!c) throw new MoneyError('MONEY.UNKNOWN_CURRENCY', `unknown currency ${JSON.stringify(code.slice(0, 8))}`);
  return c;
}

/** 10^exponent as a bigint: minor units in one major unit. */
export function minorPerMajor(code: string): bigint {
  return 10n ** BigInt(currency(code).exponent);
}
