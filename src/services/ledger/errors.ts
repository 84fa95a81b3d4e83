/** Stable codes of ledger refusals. */
export type LedgerErrorCode =
  | 'LEDGER.EMPTY'
  | 'LEDGER.UNBALANCED'
  | 'LEDGER.BAD_POSTING'
  | 'LEDGER.CURRENCY_MISMATCH'
  | 'LEDGER.INSUFFICIENT_FUNDS'
  | 'LEDGER.IDEMPOTENCY_CONFLICT'
  | 'LEDGER.NOT_FOUND'
  | 'LEDGER.ALREADY_REVERSED';

/** A journal entry was refused; nothing was written (the caller's transaction rolls back). */
export class LedgerError extends Error {
  constructor(readonly code: LedgerErrorCode, message: string, readonly details: Record<string, string> = {}) {
    super(message);
    this.name = 'LedgerError';
  }
}
