import type { Database } from '../../../infra/db/database.js';
import { formatMoney } from '../../../domain/money/index.js';
import { SupportMoneyError, type SupportMoney } from '../../support-money/index.js';

/** The kinds of request that wait for a second support user. */
export type ApprovalKind = 'refund' | 'reversal';

/** What a request is about: the card usage or charge, as the desk names it. */
export interface ApprovalSubject {
  /** purchase | atm (refunds) or charge (reversals). */
  kind: string;
  /** The merchant, or the charge's reference. */
  label: string | null;
  at: Date;
  /** What was spent or charged, in `currency`. */
  original: bigint;
}

/** What the modal shows before a request is made, and the limits the request is checked against. */
export interface RequestForm {
  kind: ApprovalKind;
  targetId: string;
  memberId: string;
  username: string;
  cardId: string;
  last4: string;
  currency: string;
  subject: ApprovalSubject;
  /** Left to refund, or left to reverse. */
  left: bigint;
  /** The card's balance (reversals: a reversal cannot take more). */
  balance?: bigint;
  /** The most a request may move now. */
  max: bigint;
}

/** What the money side must offer for requests: its read models and the two operations. */
export type ApprovalMoney = Pick<SupportMoney, 'refundable' | 'reversible' | 'refundUsage' | 'reverseCharge'>;

/** A request as it is carried out. */
export interface Approved {
  id: string;
  kind: ApprovalKind;
  targetId: string;
  amount: bigint;
  currency: string;
  reason: string;
  decidedBy: string;
}

/**
 * The money side of each kind of request: what may be moved now (for the modal, the request, and
 * again at approval), and carrying an approved request out. The money operations re-check under
 * their own locks and are idempotent per request id, so an approval carried out twice moves once.
 */
export class ApprovalKinds {
  constructor(private readonly db: Database, private readonly money: ApprovalMoney) {}

  /** The form of a refund or reversal of this usage / charge, or null when it does not apply now. */
  async form(kind: ApprovalKind, targetId: string): Promise<RequestForm | null> {
    return kind === 'refund' ? this.refundForm(targetId) : this.reversalForm(targetId);
  }

  /** Why `amount` cannot be moved now (in words, with the amounts), or null when it can. */
  async recheck(kind: ApprovalKind, targetId: string, amount: bigint): Promise<string | null> {
    const f = await this.form(kind, targetId);
    if (!f) return kind === 'refund' ? 'nothing is left to refund' : 'nothing can be reversed now';
    if (amount <= f.max) return null;
    const show = (v: bigint) => formatMoney(v, f.currency, 'en');
    if (kind === 'refund') return `only ${show(f.left)} is left to refund`;
    return f.left < amount ? `only ${show(f.left)} is left to reverse` : `the card's balance is ${show(f.balance ?? 0n)}, less than ${show(amount)}`;
  }

  /** Carries out an approved request; a refusal of the money side comes back as `failed` with its words. */
  async execute(r: Approved): Promise<{ outcome: 'done' | 'failed'; note: string }> {
    const actor = `slack:${r.decidedBy}`;
    const show = (v: bigint, cur = r.currency) => formatMoney(v, cur, 'en');
    try {
      if (r.kind === 'refund') {
        const done = await this.money.refundUsage({ usageId: r.targetId, amount: r.amount, reason: r.reason, requestId: r.id, actor });
        return { outcome: 'done', note: `Refunded ${show(done.amount)} to the card; ${show(done.left)} left to refund.` };
      }
      const done = await this.money.reverseCharge({ chargeId: r.targetId, amount: r.amount, reason: r.reason, requestId: r.id, actor });
      const payout = done.status === 'succeeded' ? 'returned to the payer' : 'being returned to the payer (the provider confirms the payout)';
      return { outcome: 'done', note: `Reversed ${show(done.amount)} from the card; ${show(done.returned, done.returnedCurrency)} ${payout}.` };
    } catch (err) {
      if (err instanceof SupportMoneyError) return { outcome: 'failed', note: `${err.message}; nothing moved.` };
      throw err;
    }
  }

  private async refundForm(usageId: string): Promise<RequestForm | null> {
    const r = await this.money.refundable(usageId);
    if (!r || r.left <= 0n) return null;
    const u = await this.db.prisma.cardUsage.findUniqueOrThrow({ where: { id: usageId }, include: { card: { include: { member: true } } } });
    if (!u.card.member) return null;
    return {
      kind: 'refund', targetId: usageId, memberId: u.card.member.id, username: u.card.member.username, cardId: u.cardId, last4: u.card.last4, currency: r.currency,
      subject: { kind: u.kind, label: u.merchant, at: u.createdAt, original: u.amount }, left: r.left, max: r.left,
    };
  }

  private async reversalForm(chargeId: string): Promise<RequestForm | null> {
    const r = await this.money.reversible(chargeId);
    if (!r || r.left <= 0n || r.status !== 'completed') return null;
    const c = await this.db.prisma.charge.findUniqueOrThrow({ where: { id: chargeId }, include: { member: true } });
    const card = await this.db.prisma.card.findUniqueOrThrow({ where: { id: r.cardId }, select: { last4: true } });
    const max = r.left < r.balance ? r.left : r.balance;
    if (max <= 0n) return null;
    return {
      kind: 'reversal', targetId: chargeId, memberId: c.memberId, username: c.member.username, cardId: r.cardId, last4: card.last4, currency: r.currency,
      subject: { kind: 'charge', label: c.reference, at: c.completedAt ?? c.createdAt, original: c.toAmount }, left: r.left, balance: r.balance, max,
    };
  }
}
