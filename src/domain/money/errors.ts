/** Stable codes of every money refusal; channels turn them into the user's language. */
export type MoneyErrorCode =
  | 'MONEY.UNKNOWN_CURRENCY'
  | 'MONEY.EMPTY'
  | 'MONEY.NOT_A_NUMBER'
  | 'MONEY.TOO_MANY_DECIMALS'
  | 'MONEY.NEGATIVE'
  | 'MONEY.ZERO'
  | 'MONEY.TOO_LARGE'
  | 'MONEY.CURRENCY_MISMATCH'
  | 'MONEY.BAD_RATE';

/** A money rule was broken (bad input, mixed currencies). Carries a stable dotted code. */
export class MoneyError extends Error {
  constructor(readonly code: MoneyErrorCode, message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}
