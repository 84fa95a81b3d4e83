import type { Tx } from '../../infra/db/database.js';
import type { Logger } from '../../lib/logger.js';
import { formatMoney } from '../../domain/money/index.js';
import { raiseAlert } from '../alerts.js';
import { queueNotice } from '../notices.js';
import { chargeNoticeTarget, memberLang } from './notify.js';
import type { ChargeRow } from './types.js';

/** Why a received payment is held: it came after the charge expired or failed, or its card is closed for good. */
export type HeldReason = 'late' | 'card-closed';

/** Charge states a payment can still arrive in without being a replay. */
export const LATE_FROM: readonly string[] = ['pending', 'expired', 'failed'];

/** The alert support gets for each reason. */
export const HELD_ALERT: Record<HeldReason, string> = { late: 'late-payment', 'card-closed': 'payment-on-closed-card' };

/**
 * Records a payment that cannot be applied: the charge becomes `held` (reason and arrival time kept),
 * support is alerted and the cardholder told, all in the caller's transaction. Nothing reaches the
 * ledger until support applies the payment or returns it (see support-money/held.ts).
 */
export async function holdPayment(tx: Tx, log: Logger, c: ChargeRow, h: { reason: HeldReason; card: { id: string; last4: string }; source: string; now: Date }): Promise<void> {
  const won = await tx.charge.updateMany({ where: { id: c.id, status: { in: [...LATE_FROM] } }, data: { status: 'held', heldReason: h.reason, paidAt: h.now } });
  if (won.count !== 1) throw new Error(`charge ${c.id} changed while its payment was being held`);
  await raiseAlert(tx, {
    kind: HELD_ALERT[h.reason],
    memberId: c.memberId,
    cardId: h.card.id,
    details: { chargeId: c.id, reference: c.reference, paid: formatMoney(c.fromAmount, c.fromCurrency, 'en'), charge: formatMoney(c.toAmount, c.toCurrency, 'en'), was: c.status, source: h.source },
  });
  const lang = await memberLang(tx, c.memberId);
  await queueNotice(tx, { ...(await chargeNoticeTarget(tx, c)), key: `charge-held-${h.reason}`, vars: { reference: c.reference, amount: formatMoney(c.fromAmount, c.fromCurrency, lang), last4: h.card.last4 } });
  log.warn({ charge: c.id, reason: h.reason, was: c.status, source: h.source }, 'payment held for support');
}
