/** Stable codes of refused support money operations (the desk shows each in words). */
export type SupportMoneyErrorCode =
  | 'SUPPORT.NOT_FOUND'
  | 'SUPPORT.BAD_AMOUNT'
  | 'SUPPORT.NOT_REFUNDABLE'
  | 'SUPPORT.NOT_REVERSIBLE'
  | 'SUPPORT.TOO_MUCH'
  | 'SUPPORT.INSUFFICIENT_FUNDS'
  | 'SUPPORT.NOT_HELD'
  | 'SUPPORT.CARD_CLOSED'
  | 'SUPPORT.BALANCE_LIMIT'
  | 'SUPPORT.REQUEST_CONFLICT';

/** A support money operation was refused; nothing moved. `vars` hold what the desk shows (amounts left …). */
export class SupportMoneyError extends Error {
  constructor(readonly code: SupportMoneyErrorCode, message: string, readonly vars: Record<string, string> = {}) {
    super(message);
    this.name = 'SupportMoneyError';
  }
}
