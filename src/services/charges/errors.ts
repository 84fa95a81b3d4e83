/** Stable codes of charge refusals; each has a message in money.ftl (`charge-err-…`). */
export type ChargeErrorCode =
  | 'CHARGE.CARD_UNAVAILABLE'
  | 'CHARGE.CARD_FROZEN'
  | 'CHARGE.CURRENCY_NOT_OFFERED'
  | 'CHARGE.NO_RATE'
  | 'CHARGE.RATE_STALE'
  | 'CHARGE.BELOW_MIN'
  | 'CHARGE.ABOVE_MAX'
  /** Not a refusal: a bare number fits both readings, so the flow asks which was meant. */
  | 'CHARGE.WHICH_READING'
  | 'CHARGE.DAILY_LIMIT'
  | 'CHARGE.BALANCE_LIMIT'
  | 'CHARGE.QUOTE_NOT_FOUND'
  | 'CHARGE.QUOTE_EXPIRED'
  | 'CHARGE.NOT_FOUND'
  | 'CHARGE.NOT_PENDING';

/** A charge was refused; `vars` hold what the message shows (formatted limits …). */
export class ChargeError extends Error {
  constructor(readonly code: ChargeErrorCode, message: string, readonly vars: Record<string, string> = {}) {
    super(message);
    this.name = 'ChargeError';
  }
}
