import type { SupportMoneyDeps } from './deps.js';
import { heldPayments, lateApply, lateReturn, type HeldDecision, type HeldPayment } from './held.js';
import { settlePayout } from './payouts.js';
import { refundable, refundUsage, type Refundable, type RefundResult, type RefundUsageRequest } from './refunds.js';
import { reverseCharge, reversible, type ReversalResult, type ReverseChargeRequest, type Reversible } from './reversals.js';

export { SupportMoneyError, type SupportMoneyErrorCode } from './errors.js';
export type { SupportMoneyDeps } from './deps.js';
/** The requests, results and read models of the operations below. */
export type { HeldDecision, HeldPayment, Refundable, RefundResult, RefundUsageRequest, ReversalResult, ReverseChargeRequest, Reversible };

/**
 * Money operations the support desk calls (after a second agent approved them): refunds of card
 * usage, reversals of charges, and the decision on held payments; plus the read models the desk
 * shows before asking. Each re-checks amounts and balances in its own transaction under row locks,
 * is idempotent per support request id, is audited, and tells the cardholder.
 */
export class SupportMoney {
  constructor(private readonly deps: SupportMoneyDeps) {}

  /** What is left to refund of a card usage (null: no such usage). */
  refundable(usageId: string): Promise<Refundable | null> {
    return refundable(this.deps, usageId);
  }

  /** Refunds all or part of a purchase or ATM withdrawal to the card (see refunds.ts). */
  refundUsage(r: RefundUsageRequest): Promise<RefundResult> {
    return refundUsage(this.deps, r);
  }

  /** What is left to reverse of a charge and whether the card covers it (null: no such charge). */
  reversible(chargeId: string): Promise<Reversible | null> {
    return reversible(this.deps, chargeId);
  }

  /** Reverses all or part of a completed charge and returns the payment (see reversals.ts). */
  reverseCharge(r: ReverseChargeRequest): Promise<ReversalResult> {
    return reverseCharge(this.deps, r);
  }

  /** Payments held for support (late, or for a closed card), oldest first. */
  heldPayments(limit?: number): Promise<HeldPayment[]> {
    return heldPayments(this.deps, limit);
  }

  /** Applies a held payment to the card as its charge would have (see held.ts). */
  lateApply(d: HeldDecision): Promise<{ chargeId: string; status: 'completed'; cardId: string; replayed: boolean }> {
    return lateApply(this.deps, d);
  }

  /** Returns a held payment to the payer through the payment provider (see held.ts). */
  lateReturn(d: HeldDecision): Promise<{ chargeId: string; payoutId: string; status: string; replayed: boolean }> {
    return lateReturn(this.deps, d);
  }

  /** The provider's `payout.succeeded` / `payout.failed` (see payouts.ts); null for an unknown payout. */
  settlePayout(payoutId: string, outcome: 'succeeded' | 'failed', reason?: string): Promise<{ status: string; replayed: boolean } | null> {
    return settlePayout(this.deps, payoutId, outcome, reason);
  }
}
