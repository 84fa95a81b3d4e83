import { toDecimal } from '../../domain/money/index.js';
import { raiseAlert } from '../alerts.js';
import type { ChargeDeps, ChargeRow } from './types.js';

/** A payment provider's word on a charge: paid (maybe with what it received) or failed. */
export interface PaymentEvent {
  where: { id: string } | { reference: string };
  event: 'payment.succeeded' | 'payment.failed';
  /** What the provider says it received, in minor units of `currency` (both or neither). */
  received?: { amount: bigint; currency: string };
  reason?: string;
  source: string;
}

/**
 * What became of it: `completed` / `failed` as asked, `held` (paid but not applicable: see
 * held.ts), `conflict` (contradicts the charge, e.g. failed after completing), `mismatch` (the amount
 * or currency received is not the charge's: recorded for support, charge untouched), `not-found`.
 */
export type PaymentEventResult =
  | { outcome: 'completed' | 'failed' | 'conflict'; chargeId: string; status: string; replayed: boolean }
  | { outcome: 'held'; chargeId: string; status: 'held'; reason: string; replayed: boolean }
  | { outcome: 'mismatch'; chargeId: string }
  | { outcome: 'not-found' };

/** The charge operations a payment event uses. */
export interface PaymentEventTarget {
  find(where: { id: string } | { reference: string }): Promise<ChargeRow | null>;
  complete(chargeId: string, source: string): Promise<{ status: string; replayed: boolean; reason?: string }>;
  fail(chargeId: string, reason: string): Promise<{ status: string; replayed: boolean }>;
}

/** Applies a provider's payment event (the webhook and the `confirm-payment` script step both come here). */
export async function applyPaymentEvent(deps: ChargeDeps, charges: PaymentEventTarget, e: PaymentEvent): Promise<PaymentEventResult> {
  const charge = await charges.find(e.where);
  if (!charge) return { outcome: 'not-found' };
  if (e.event === 'payment.succeeded' && e.received && (e.received.currency !== charge.fromCurrency || e.received.amount !== charge.fromAmount)) {
    const expected = `${toDecimal(charge.fromAmount, charge.fromCurrency)} ${charge.fromCurrency}`;
    const received = `${toDecimal(e.received.amount, e.received.currency)} ${e.received.currency}`;
    await deps.db.tx((tx) => raiseAlert(tx, { kind: 'payment-mismatch', memberId: charge.memberId, cardId: charge.cardId, details: { chargeId: charge.id, reference: charge.reference, expected, received, status: charge.status, source: e.source } }));
    deps.log.warn({ charge: charge.id, expected, received }, 'payment does not match its charge; not completed');
    return { outcome: 'mismatch', chargeId: charge.id };
  }
  if (e.event === 'payment.failed') {
    const r = await charges.fail(charge.id, e.reason ?? 'payment failed');
    return { outcome: r.status === 'failed' ? 'failed' : 'conflict', chargeId: charge.id, status: r.status, replayed: r.replayed };
  }
  const r = await charges.complete(charge.id, e.source);
  if (r.status === 'held') return { outcome: 'held', chargeId: charge.id, status: 'held', reason: r.reason ?? 'late', replayed: r.replayed };
  // Paid once it was returned or is being returned: support must look at it.
  if (r.status !== 'completed') deps.log.warn({ charge: charge.id, status: r.status }, 'payment event conflicts with the charge status');
  return { outcome: r.status === 'completed' ? 'completed' : 'conflict', chargeId: charge.id, status: r.status, replayed: r.replayed };
}
