import type { Tx } from '../../infra/db/database.js';
import { newId } from '../../lib/ids.js';
import { formatMoney, toDecimal } from '../../domain/money/index.js';
import { audit } from '../audit.js';
import { lockCardChain } from '../cards/chain.js';
import { chargeCompletedMail } from '../charges/mail.js';
import { chargeNoticeTarget, memberLang } from '../charges/notify.js';
import { chargePostings, spreadAt } from '../charges/postings.js';
import { cardAccount, post } from '../ledger/index.js';
import { enqueueMail } from '../mail/outbox.js';
import { kickMail } from '../mail/runner.js';
import { queueNotice } from '../notices.js';
import { SupportMoneyError } from './errors.js';
import type { SupportMoneyDeps } from './deps.js';

/** Support's decision on a held payment (see charges/held.ts). */
export interface HeldDecision {
  chargeId: string;
  actor: string;
  /** The support request carried out (audited; a payout is made once per request). */
  requestId: string;
  reason?: string;
}

/** A held payment as the desk lists it. */
export interface HeldPayment {
  chargeId: string;
  reference: string;
  memberId: string;
  cardId: string;
  reason: string;
  paid: bigint;
  paidCurrency: string;
  charge: bigint;
  chargeCurrency: string;
  paidAt: Date;
}

/** Payments waiting for support, oldest first. */
export async function heldPayments(deps: SupportMoneyDeps, limit = 100): Promise<HeldPayment[]> {
  const rows = await deps.db.prisma.charge.findMany({ where: { status: 'held' }, orderBy: { paidAt: 'asc' }, take: limit });
  return rows.map((c) => ({ chargeId: c.id, reference: c.reference, memberId: c.memberId, cardId: c.cardId, reason: c.heldReason!, paid: c.fromAmount, paidCurrency: c.fromCurrency, charge: c.toAmount, chargeCurrency: c.toCurrency, paidAt: c.paidAt! }));
}

/**
 * Applies a held payment: credits the card as the original charge would have (same ledger key
 * `charge:<quoteId>`, same notice and e-mail), to its replacement when it was replaced. Refused when
 * the card is closed with no replacement or the credit would pass `CARD_MAX_BALANCE`. Applying it
 * again answers `replayed`.
 */
export async function lateApply(deps: SupportMoneyDeps, d: HeldDecision): Promise<{ chargeId: string; status: 'completed'; cardId: string; replayed: boolean }> {
  const now = deps.clock.now();
  const result = await deps.db.tx(async (tx) => {
    const cards = await lockCardChain(tx, { cardOfCharge: d.chargeId });
    const c = await lockCharge(tx, d.chargeId);
    if (c.status === 'completed' && c.resolvedBy) return { chargeId: c.id, status: 'completed' as const, cardId: c.creditedCardId ?? c.cardId, replayed: true };
    if (c.status !== 'held') throw new SupportMoneyError('SUPPORT.NOT_HELD', `charge ${c.reference} is ${c.status}, not held`);
    const card = cards!.current;
    if (card.status === 'closed') throw new SupportMoneyError('SUPPORT.CARD_CLOSED', `card •••• ${card.last4} is closed with no replacement: return the payment instead`);
    const cap = deps.config.CARD_MAX_BALANCE.get(c.toCurrency);
    if (cap !== undefined) {
      const acc = await tx.ledgerAccount.findUnique({ where: { code: cardAccount(card.id, c.toCurrency).code }, select: { balance: true } });
      const pending = (await tx.charge.aggregate({ where: { cardId: card.id, toCurrency: c.toCurrency, status: 'pending' }, _sum: { toAmount: true } }))._sum.toAmount ?? 0n;
      const room = cap - (acc?.balance ?? 0n) - pending;
      const show = (v: bigint) => `${toDecimal(v, c.toCurrency)} ${c.toCurrency}`;
      if (c.toAmount > room) throw new SupportMoneyError('SUPPORT.BALANCE_LIMIT', `card •••• ${card.last4} can take only ${show(room > 0n ? room : 0n)} more (CARD_MAX_BALANCE)`, { left: show(room > 0n ? room : 0n) });
    }
    const quote = await tx.quote.findUniqueOrThrow({ where: { id: c.quoteId }, include: { fxRate: true } });
    const charge = { cardId: card.id, fromCurrency: c.fromCurrency, fromAmount: c.fromAmount, toCurrency: c.toCurrency, toAmount: c.toAmount, fee: c.fee };
    const spread = quote.fxRate ? spreadAt(charge, quote.fxRate.base, quote.fxRate.rate) : 0n;
    const entry = await post(tx, { idempotencyKey: `charge:${c.quoteId}`, kind: 'charge', memo: c.reference, at: now, postings: chargePostings(charge, spread) });
    await tx.charge.update({ where: { id: c.id }, data: { status: 'completed', completedAt: now, entryId: entry.entryId, creditedCardId: card.id, resolvedBy: d.actor, resolvedAt: now } });
    const lang = await memberLang(tx, c.memberId);
    const vars = { reference: c.reference, amount: formatMoney(c.toAmount, c.toCurrency, lang), paid: formatMoney(c.fromAmount, c.fromCurrency, lang), last4: card.last4 };
    await queueNotice(tx, { ...(await chargeNoticeTarget(tx, c)), key: 'charge-completed', vars });
    const member = await tx.member.findUniqueOrThrow({ where: { id: c.memberId }, select: { email: true, fullName: true, timeZone: true } });
    await enqueueMail(tx, chargeCompletedMail({ to: member.email, fullName: member.fullName, lang, ...vars, fee: formatMoney(c.fee, c.fromCurrency, lang), at: now, zone: member.timeZone ?? deps.config.OPERATOR_TIMEZONE }));
    await audit(tx, { actor: d.actor, action: 'charge.late-apply', target: c.id, details: { requestId: d.requestId, reference: c.reference, held: c.heldReason, card: card.id, amount: `${toDecimal(c.toAmount, c.toCurrency)} ${c.toCurrency}` } });
    return { chargeId: c.id, status: 'completed' as const, cardId: card.id, replayed: false };
  });
  if (!result.replayed) {
    deps.log.info({ charge: d.chargeId, card: result.cardId, actor: d.actor }, 'held payment applied');
    kickMail();
  }
  return result;
}

/**
 * Returns a held payment to the payer through the payment provider (a `late-return` payout): the
 * charge is `returned` at once in the sandbox, `returning` until the provider's payout event. No
 * ledger entry: the money never reached a card. Once per request.
 */
export async function lateReturn(deps: SupportMoneyDeps, d: HeldDecision): Promise<{ chargeId: string; payoutId: string; status: string; replayed: boolean }> {
  const now = deps.clock.now();
  const result = await deps.db.tx(async (tx) => {
    const c = await lockCharge(tx, d.chargeId);
    const prior = await tx.payout.findUnique({ where: { requestId: d.requestId } });
    if (prior) {
      if (prior.chargeId !== c.id || prior.kind !== 'late-return') throw new SupportMoneyError('SUPPORT.REQUEST_CONFLICT', `request ${d.requestId} was a different operation`);
      return { chargeId: c.id, payoutId: prior.id, status: c.status, replayed: true };
    }
    if (c.status !== 'held') throw new SupportMoneyError('SUPPORT.NOT_HELD', `charge ${c.reference} is ${c.status}, not held`);
    const payoutId = newId();
    const outcome = deps.provider.refund({ payoutId, reference: c.reference, amount: c.fromAmount, currency: c.fromCurrency });
    await tx.payout.create({
      data: {
        id: payoutId, chargeId: c.id, kind: 'late-return', requestId: d.requestId, amount: c.fromAmount, currency: c.fromCurrency, status: outcome,
        reason: (d.reason ?? 'held payment returned').slice(0, 500), actor: d.actor, createdAt: now, ...(outcome === 'succeeded' ? { settledAt: now } : {}),
      },
    });
    const status = outcome === 'succeeded' ? 'returned' : 'returning';
    await tx.charge.update({ where: { id: c.id }, data: { status, resolvedBy: d.actor, resolvedAt: now } });
    const lang = await memberLang(tx, c.memberId);
    await queueNotice(tx, { ...(await chargeNoticeTarget(tx, c)), key: 'charge-payment-returned', vars: { reference: c.reference, amount: formatMoney(c.fromAmount, c.fromCurrency, lang) } });
    await audit(tx, { actor: d.actor, action: 'charge.late-return', target: c.id, details: { requestId: d.requestId, reference: c.reference, held: c.heldReason, payout: outcome, amount: `${toDecimal(c.fromAmount, c.fromCurrency)} ${c.fromCurrency}` } });
    return { chargeId: c.id, payoutId, status, replayed: false };
  });
  if (!result.replayed) deps.log.info({ charge: d.chargeId, payout: result.payoutId, status: result.status, actor: d.actor }, 'held payment returned');
  return result;
}

async function lockCharge(tx: Tx, chargeId: string) {
  await tx.$queryRawUnsafe(`SELECT id FROM "Charge" WHERE id = $1 FOR NO KEY UPDATE`, chargeId);
  const c = await tx.charge.findUnique({ where: { id: chargeId } });
  if (!c) throw new SupportMoneyError('SUPPORT.NOT_FOUND', `no charge ${chargeId}`);
  return c;
}
