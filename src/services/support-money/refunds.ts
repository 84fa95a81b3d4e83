import type { Tx } from '../../infra/db/database.js';
import { failpoint } from '../../lib/failpoints.js';
import { newId } from '../../lib/ids.js';
import { formatMoney, toDecimal, type MoneyLang } from '../../domain/money/index.js';
import { audit } from '../audit.js';
import { lockCardChain } from '../cards/chain.js';
import { cardAccount, operatorAccount, post } from '../ledger/index.js';
import { queueNotice } from '../notices.js';
import { SupportMoneyError } from './errors.js';
import type { SupportMoneyDeps } from './deps.js';

/** A support refund of a card purchase or ATM withdrawal. */
export interface RefundUsageRequest {
  usageId: string;
  /** Minor units of the usage's currency, positive; at most what is left to refund. */
  amount: bigint;
  reason: string;
  /** The support request carried out: approving it twice refunds once. */
  requestId: string;
  actor: string;
}

/** What a refund did. */
export interface RefundResult {
  refundId: string;
  usageId: string;
  /** The card credited: the usage's card, or its replacement. */
  cardId: string;
  amount: bigint;
  currency: string;
  /** Still refundable after this one. */
  left: bigint;
  replayed: boolean;
}

/** What is left to refund of a usage (the desk's read model). */
export interface Refundable {
  usageId: string;
  cardId: string;
  kind: string;
  currency: string;
  amount: bigint;
  refunded: bigint;
  left: bigint;
}

const REFUNDABLE_KINDS = ['purchase', 'atm'];

interface UsageRow {
  id: string;
  cardId: string;
  kind: string;
  amount: string;
  currency: string;
  status: string;
  merchant: string | null;
}

/** What is left to refund of an approved purchase or ATM withdrawal (0 for anything else); null when unknown. */
export async function refundable(deps: SupportMoneyDeps, usageId: string): Promise<Refundable | null> {
  const u = await deps.db.prisma.cardUsage.findUnique({ where: { id: usageId } });
  if (!u) return null;
  const refunded = (await deps.db.prisma.usageRefund.aggregate({ where: { usageId }, _sum: { amount: true } }))._sum.amount ?? 0n;
  const eligible = REFUNDABLE_KINDS.includes(u.kind) && u.status === 'approved';
  return { usageId, cardId: u.cardId, kind: u.kind, currency: u.currency, amount: u.amount, refunded, left: eligible ? u.amount - refunded : 0n };
}

/**
 * Credits the card with all or part of a purchase or ATM withdrawal. Decided under a row lock on the
 * usage, so concurrent approvals cannot refund more than was spent; the ledger key
 * `support-refund:<requestId>` and the unique request id make an approval count once. The card's
 * replacement is credited when it was replaced; the cardholder is told in the chat.
 */
export async function refundUsage(deps: SupportMoneyDeps, r: RefundUsageRequest): Promise<RefundResult> {
  if (r.amount <= 0n) throw new SupportMoneyError('SUPPORT.BAD_AMOUNT', 'a refund must be more than zero');
  const now = deps.clock.now();
  const result = await deps.db.tx(async (tx) => {
    const [u] = await tx.$queryRawUnsafe<UsageRow[]>(
      `SELECT id, "cardId", kind, amount::text AS amount, currency, status, merchant FROM "CardUsage" WHERE id = $1 FOR NO KEY UPDATE`,
      r.usageId,
    );
    if (!u) throw new SupportMoneyError('SUPPORT.NOT_FOUND', `no card usage ${r.usageId}`);
    const spent = BigInt(u.amount);
    const prior = await tx.usageRefund.findUnique({ where: { requestId: r.requestId } });
    if (prior) {
      if (prior.usageId !== r.usageId || prior.amount !== r.amount) throw new SupportMoneyError('SUPPORT.REQUEST_CONFLICT', `request ${r.requestId} was a different refund`);
      return { refundId: prior.id, usageId: r.usageId, cardId: prior.cardId, amount: prior.amount, currency: prior.currency, left: spent - (await refundedOf(tx, r.usageId)), replayed: true };
    }
    if (!REFUNDABLE_KINDS.includes(u.kind) || u.status !== 'approved') throw new SupportMoneyError('SUPPORT.NOT_REFUNDABLE', `usage ${u.id} is a ${u.status} ${u.kind}: only approved purchases and ATM withdrawals are refunded`);
    const left = spent - (await refundedOf(tx, r.usageId));
    const show = (v: bigint) => `${toDecimal(v, u.currency)} ${u.currency}`;
    if (r.amount > left) throw new SupportMoneyError('SUPPORT.TOO_MUCH', `only ${show(left)} is left to refund`, { left: show(left) });
    const cards = await lockCardChain(tx, { cardId: u.cardId });
    const card = cards!.current;
    if (card.status === 'closed') throw new SupportMoneyError('SUPPORT.CARD_CLOSED', `card ${card.id} is closed with no replacement`);
    const entry = await post(tx, {
      idempotencyKey: `support-refund:${r.requestId}`,
      kind: 'refund',
      memo: (u.merchant ? `support refund: ${u.merchant}` : `support refund: ${u.kind}`).slice(0, 100),
      at: now,
      postings: [{ account: cardAccount(card.id, u.currency), amount: r.amount }, { account: operatorAccount('settlement', u.currency), amount: -r.amount }],
    });
    const refundId = newId();
    await tx.usageRefund.create({ data: { id: refundId, usageId: u.id, requestId: r.requestId, cardId: card.id, amount: r.amount, currency: u.currency, reason: r.reason.slice(0, 500), actor: r.actor, entryId: entry.entryId, createdAt: now } });
    await audit(tx, { actor: r.actor, action: 'usage.refund', target: u.id, details: { requestId: r.requestId, amount: show(r.amount), card: card.id, reason: r.reason.slice(0, 200) } });
    if (card.memberId) {
      const lang = (card.language === 'ja' ? 'ja' : 'en') as MoneyLang;
      const balance = await tx.ledgerAccount.findUniqueOrThrow({ where: { code: cardAccount(card.id, u.currency).code }, select: { balance: true } });
      await queueNotice(tx, {
        memberId: card.memberId,
        key: 'usage-refunded-support',
        vars: { amount: formatMoney(r.amount, u.currency, lang), merchant: u.merchant ?? '', hasMerchant: u.merchant ? 'yes' : 'no', last4: card.last4, balance: formatMoney(balance.balance, u.currency, lang) },
      });
    }
    failpoint('refund.approve.before-commit');
    return { refundId, usageId: u.id, cardId: card.id, amount: r.amount, currency: u.currency, left: left - r.amount, replayed: false };
  });
  if (!result.replayed) failpoint('refund.approve.after-commit');
  if (!result.replayed) deps.log.info({ usage: r.usageId, refund: result.refundId, actor: r.actor }, 'support refund');
  return result;
}

async function refundedOf(tx: Tx, usageId: string): Promise<bigint> {
  return (await tx.usageRefund.aggregate({ where: { usageId }, _sum: { amount: true } }))._sum.amount ?? 0n;
}
