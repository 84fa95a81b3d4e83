import { currency } from './currency.js';

/** Languages amounts are formatted for. */
export type MoneyLang = 'en' | 'ja';

/** Minor units as a plain decimal string, e.g. 1250n USD → `12.50`, -5n JPY → `-5` (CSV, CLI, JSON). */
export function toDecimal(amount: bigint, code: string): string {
  const { exponent } = currency(code);
  const neg = amount < 0n;
  const digits = (neg ? -amount : amount).toString().padStart(exponent + 1, '0');
  const int = digits.slice(0, digits.length - exponent);
  const frac = exponent ? '.' + digits.slice(digits.length - exponent) : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Groups the integer part of a decimal string by thousands with commas. */
function group(decimal: string): string {
  const [int, frac] = decimal.split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac !== undefined ? '.' + frac : ''}`;
}

/**
 * Formats an amount for a person: en `1,000 JPY`, `12.50 USD`; ja `1,000円`, `12.50 USD`.
 * Always shows every minor digit so amounts are never shown rounded.
 */
export function formatMoney(amount: bigint, code: string, lang: MoneyLang = 'en'): string {
  const text = group(toDecimal(amount, code));
  if (lang === 'ja' && code === 'JPY') return `${text}円`;
  return `${text} ${code}`;
}

/** Formats a signed amount with an explicit `+` for credits (history lines). */
export function formatSigned(amount: bigint, code: string, lang: MoneyLang = 'en'): string {
  return amount > 0n ? `+${formatMoney(amount, code, lang)}` : formatMoney(amount, code, lang);
}
