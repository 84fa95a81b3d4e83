import { formatInZone } from '../../domain/time/zone.js';
import type { Tx } from '../../infra/db/database.js';
import { newId } from '../../lib/ids.js';
import { divide, formatMoney, toDecimal } from '../../domain/money/index.js';
import { audit } from '../audit.js';
import { lockCardChain } from '../cards/chain.js';
import { chargeNoticeTarget, memberLang } from '../charges/notify.js';
import { cardAccount, LedgerError, operatorAccount, post, type PostingInput } from '../ledger/index.js';
import { enqueueMail } from '../mail/outbox.js';
import { kickMail } from '../mail/runner.js';
import { mailMessage } from '../mail/templates.js';
import { queueNotice } from '../notices.js';
import { SupportMoneyError } from './errors.js';
import type { SupportMoneyDeps } from './deps.js';

/** A support reversal of a completed charge: the card is debited and the payment returned. */
export interface ReverseChargeRequest {
  chargeId: string;
  /** Minor units of the card (charge) currency; default everything not reversed yet. */
  amount?: bigint;
  reason: string;
  /** The support request carried out: approving it twice reverses once. */
  requestId: string;
  actor: string;
}

/** What a reversal did. */
export interface ReversalResult {
  payoutId: string;
  chargeId: string;
  /** Taken from the card, in the charge currency. */
  amount: bigint;
  currency: string;
  /** Returned to the payer, in the paid currency. */
  returned: bigint;
  returnedCurrency: string;
  /** The payout: `succeeded` at once in the sandbox, `pending` until the provider's payout event. */
  status: string;
  replayed: boolean;
}

/** What is left to reverse of a charge, and whether the card covers it now (the desk's read model). */
export interface Reversible {
  chargeId: string;
  status: string;
  currency: string;
  charged: bigint;
  reversed: bigint;
  left: bigint;
  /** The card that would be debited (the credited card, or its replacement) and its balance in `currency`. */
  cardId: string;
  balance: bigint;
}

/** Everything about a charge's reversal that can be read without locks (null: no such charge). */
export async function reversible(deps: SupportMoneyDeps, chargeId: string): Promise<Reversible | null> {
  const c = await deps.db.prisma.charge.findUnique({ where: { id: chargeId } });
  if (!c) return null;
  const reversed = (await deps.db.prisma.payout.aggregate({ where: { chargeId, kind: 'reversal' }, _sum: { cardAmount: true } }))._sum.cardAmount ?? 0n;
  let cardId = c.creditedCardId ?? c.cardId;
  for (let i = 0; i < 50; i++) {
    const card = await deps.db.prisma.card.findUnique({ where: { id: cardId }, select: { status: true, replacedById: true } });
    if (card?.status !== 'closed' || !card.replacedById) break;
    cardId = card.replacedById;
  }
  const acc = await deps.db.prisma.ledgerAccount.findUnique({ where: { code: cardAccount(cardId, c.toCurrency).code }, select: { balance: true } });
  const left = c.status === 'completed' ? c.toAmount - reversed : 0n;
  return { chargeId, status: c.status, currency: c.toCurrency, charged: c.toAmount, reversed, left, cardId, balance: acc?.balance ?? 0n };
}

/**
 * Reverses all or part of a completed charge: debits the card (its replacement when it was
 * replaced) and returns the payment through the payment provider's `refund` (a payout). Decided
 * under a row lock on the charge, so concurrent approvals cannot reverse more than was charged;
 * refused when the card's balance no longer covers it. The payer gets back the share of what they
 * paid (fee included), rounded down; the last part returns exactly the rest. The cardholder is told
 * in the chat and by e-mail (as the completion was).
 */
export async function reverseCharge(deps: SupportMoneyDeps, r: ReverseChargeRequest): Promise<ReversalResult> {
  const now = deps.clock.now();
  const result = await deps.db.tx(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT id FROM "Charge" WHERE id = $1 FOR NO KEY UPDATE`, r.chargeId);
    const c = await tx.charge.findUnique({ where: { id: r.chargeId } });
    if (!c) throw new SupportMoneyError('SUPPORT.NOT_FOUND', `no charge ${r.chargeId}`);
    const prior = await tx.payout.findUnique({ where: { requestId: r.requestId } });
    if (prior) {
      if (prior.chargeId !== c.id || prior.kind !== 'reversal' || (r.amount !== undefined && prior.cardAmount !== r.amount)) throw new SupportMoneyError('SUPPORT.REQUEST_CONFLICT', `request ${r.requestId} was a different operation`);
      return { payoutId: prior.id, chargeId: c.id, amount: prior.cardAmount, currency: c.toCurrency, returned: prior.amount, returnedCurrency: prior.currency, status: prior.status, replayed: true };
    }
    if (c.status !== 'completed') throw new SupportMoneyError('SUPPORT.NOT_REVERSIBLE', `charge ${c.reference} is ${c.status}: only completed charges are reversed`);
    const before = await tx.payout.aggregate({ where: { chargeId: c.id, kind: 'reversal' }, _sum: { cardAmount: true, amount: true } });
    const reversed = before._sum.cardAmount ?? 0n;
    const left = c.toAmount - reversed;
    const show = (v: bigint, cur = c.toCurrency) => `${toDecimal(v, cur)} ${cur}`;
    const amount = r.amount ?? left;
    if (left <= 0n) throw new SupportMoneyError('SUPPORT.NOT_REVERSIBLE', `charge ${c.reference} is reversed already`);
    if (amount <= 0n) throw new SupportMoneyError('SUPPORT.BAD_AMOUNT', 'a reversal must be more than zero');
    if (amount > left) throw new SupportMoneyError('SUPPORT.TOO_MUCH', `only ${show(left)} is left to reverse`, { left: show(left) });
    const returned = amount === left ? c.fromAmount - (before._sum.amount ?? 0n) : divide(c.fromAmount * amount, c.toAmount, 'floor');
    const cards = await lockCardChain(tx, { cardId: c.creditedCardId ?? c.cardId });
    const card = cards!.current;
    if (card.status === 'closed') throw new SupportMoneyError('SUPPORT.CARD_CLOSED', `card ${card.id} is closed with no replacement`);
    const entry = await post(tx, { idempotencyKey: `support-reversal:${r.requestId}`, kind: 'reversal', memo: c.reference, at: now, postings: reversalPostings(c, card.id, amount, returned) }).catch((err: unknown) => {
      if (err instanceof LedgerError && err.code === 'LEDGER.INSUFFICIENT_FUNDS') throw new SupportMoneyError('SUPPORT.INSUFFICIENT_FUNDS', `card •••• ${card.last4} no longer holds ${show(amount)}`, { amount: show(amount) });
      throw err;
    });
    const payoutId = newId();
    const status = deps.provider.refund({ payoutId, reference: c.reference, amount: returned, currency: c.fromCurrency });
    await tx.payout.create({
      data: {
        id: payoutId, chargeId: c.id, kind: 'reversal', requestId: r.requestId, amount: returned, currency: c.fromCurrency, cardAmount: amount, status, entryId: entry.entryId,
        reason: r.reason.slice(0, 500), actor: r.actor, createdAt: now, ...(status === 'succeeded' ? { settledAt: now } : {}),
      },
    });
    await audit(tx, { actor: r.actor, action: 'charge.reverse', target: c.id, details: { requestId: r.requestId, reference: c.reference, amount: show(amount), returned: show(returned, c.fromCurrency), card: card.id, payout: status, reason: r.reason.slice(0, 200) } });
    await tellCardholder(deps, tx, c, { amount, returned, last4: card.last4, cardId: card.id, now });
    return { payoutId, chargeId: c.id, amount, currency: c.toCurrency, returned, returnedCurrency: c.fromCurrency, status, replayed: false };
  });
  if (!result.replayed) {
    deps.log.info({ charge: r.chargeId, payout: result.payoutId, status: result.status, actor: r.actor }, 'charge reversed');
    kickMail();
  }
  return result;
}

/**
 * The legs of a reversal of `amount` (card currency) returning `returned` (paid currency). Same
 * currency: the card and the fee revenue give back what funding returns. FX: each currency goes back
 * through its FX liquidity account (the FX position absorbs the rate difference).
 */
export function reversalPostings(c: { fromCurrency: string; toCurrency: string }, cardId: string, amount: bigint, returned: bigint): PostingInput[] {
  const legs: PostingInput[] = [{ account: cardAccount(cardId, c.toCurrency), amount: -amount }];
  if (c.fromCurrency === c.toCurrency) {
    legs.push({ account: operatorAccount('funding', c.fromCurrency), amount: returned });
    if (returned > amount) legs.push({ account: operatorAccount('fee', c.fromCurrency), amount: amount - returned });
    return legs;
  }
  legs.push({ account: operatorAccount('fx', c.toCurrency), amount });
  legs.push({ account: operatorAccount('fx', c.fromCurrency), amount: -returned });
  legs.push({ account: operatorAccount('funding', c.fromCurrency), amount: returned });
  return legs;
}

async function tellCardholder(deps: SupportMoneyDeps, tx: Tx, c: { memberId: string; chatKey: string | null; reference: string; toCurrency: string; fromCurrency: string }, v: { amount: bigint; returned: bigint; last4: string; cardId: string; now: Date }): Promise<void> {
  const lang = await memberLang(tx, c.memberId);
  const balance = await tx.ledgerAccount.findUniqueOrThrow({ where: { code: cardAccount(v.cardId, c.toCurrency).code }, select: { balance: true } });
  const vars = { reference: c.reference, amount: formatMoney(v.amount, c.toCurrency, lang), returned: formatMoney(v.returned, c.fromCurrency, lang), last4: v.last4, balance: formatMoney(balance.balance, c.toCurrency, lang) };
  await queueNotice(tx, { ...(await chargeNoticeTarget(tx, c)), key: 'charge-reversed', vars });
  const member = await tx.member.findUniqueOrThrow({ where: { id: c.memberId }, select: { email: true, fullName: true, timeZone: true } });
  const reversedAt = formatInZone(v.now, member.timeZone ?? deps.config.OPERATOR_TIMEZONE);
  await enqueueMail(tx, mailMessage('charge-reversed', lang, member.email, { name: member.fullName, reference: c.reference, amount: vars.amount, returned: vars.returned, last4: v.last4, reversedAt }));
}
