import { toDecimal } from '../../domain/money/index.js';
import { raiseAlert } from '../alerts.js';
import { audit } from '../audit.js';
import type { SupportMoneyDeps } from './deps.js';

/**
 * The provider's word on a payout (`payout.succeeded` / `payout.failed`). Settles it once; a failed
 * late return makes the charge `held` again, and every failed payout alerts support (`payout-failed`):
 * a failed reversal's money was taken from the card and not returned, so a person decides what next.
 * Null when there is no such payout.
 */
export async function settlePayout(deps: SupportMoneyDeps, payoutId: string, outcome: 'succeeded' | 'failed', reason?: string): Promise<{ status: string; replayed: boolean } | null> {
  const now = deps.clock.now();
  const result = await deps.db.tx(async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM "Payout" WHERE id = $1 FOR NO KEY UPDATE`, payoutId);
    if (!locked.length) return null;
    const p = await tx.payout.findUniqueOrThrow({ where: { id: payoutId }, include: { charge: true } });
    if (p.status !== 'pending') return { status: p.status, replayed: true };
    await tx.payout.update({ where: { id: p.id }, data: { status: outcome, settledAt: now, ...(outcome === 'failed' ? { failReason: (reason ?? 'payout failed').slice(0, 200) } : {}) } });
    if (p.kind === 'late-return') {
      await tx.charge.updateMany({ where: { id: p.chargeId, status: 'returning' }, data: outcome === 'succeeded' ? { status: 'returned' } : { status: 'held', resolvedBy: null, resolvedAt: null } });
    }
    if (outcome === 'failed') {
      await raiseAlert(tx, {
        kind: 'payout-failed',
        memberId: p.charge.memberId,
        cardId: p.charge.creditedCardId ?? p.charge.cardId,
        details: { payoutId: p.id, kind: p.kind, chargeId: p.chargeId, reference: p.charge.reference, amount: `${toDecimal(p.amount, p.currency)} ${p.currency}`, reason: (reason ?? '').slice(0, 200) },
      });
    }
    await audit(tx, { actor: 'payment-provider', action: `payout.${outcome}`, target: p.id, details: { kind: p.kind, chargeId: p.chargeId } });
    return { status: outcome, replayed: false };
  });
  if (result && !result.replayed) deps.log[outcome === 'failed' ? 'warn' : 'info']({ payout: payoutId, outcome }, 'payout settled');
  return result;
}
