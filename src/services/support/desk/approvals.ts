import type { Database } from '../../../infra/db/database.js';
import type { Clock } from '../../../lib/clock.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/logger.js';
import { formatMoney, MoneyError, parseAmount } from '../../../domain/money/index.js';
import type { ApprovalRequest } from '../../../generated/prisma/client.js';
import { audit, RepeatedRequestError } from '../../audit.js';
import { ApprovalKinds, type ApprovalKind, type ApprovalMoney, type ApprovalSubject, type RequestForm } from './approval-kinds.js';
import { slackActor, type DeskActor } from './types.js';

export type { ApprovalKind, ApprovalSubject, RequestForm } from './approval-kinds.js';

/** What approvals need. `approvers`: every Slack user who may decide (support and admins). */
export interface ApprovalDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  money: ApprovalMoney;
  approvers: readonly string[];
  /** How long a request waits for a decision. */
  ttlMs: number;
}

/** A request as the desk shows it in the support channel. */
export interface ApprovalView {
  id: string;
  kind: ApprovalKind;
  status: string;
  targetId: string;
  memberId: string;
  username: string;
  cardId: string;
  last4: string;
  /** The purchase, withdrawal or charge it concerns. */
  subject: ApprovalSubject;
  amount: bigint;
  currency: string;
  reason: string;
  requestedBy: string;
  requestedByName: string;
  decidedBy: string | null;
  decidedByName: string | null;
  outcome: string | null;
  outcomeNote: string | null;
  expiresAt: Date;
  channel: string | null;
  messageTs: string | null;
}

/** What a request for approval asks: the amount as typed, and why. */
export interface ApprovalInput {
  kind: ApprovalKind;
  targetId: string;
  amountText: string;
  reason: string;
}

/** A request made (or the one this Slack request made before), or why not: `field` names the modal input at fault. */
export type RequestOutcome =
  | { ok: true; request: ApprovalView; repeated: boolean }
  | { ok: false; field: 'amount' | 'reason' | null; code: string; message: string };

/** What pressing Approve or Reject did. `note` says what moved, or why nothing did. */
export type DecisionResult =
  | { outcome: 'approved'; request: ApprovalView; note: string }
  | { outcome: 'failed'; request: ApprovalView; note: string }
  | { outcome: 'rejected' | 'expired' | 'already' | 'own-request' | 'no-second-person' | 'not-approver'; request: ApprovalView }
  | { outcome: 'not-covered'; request: ApprovalView; note: string }
  | { outcome: 'not-found' };

/** Longest reason kept (the audit log and the Slack message show it). */
export const MAX_REASON = 500;

/**
 * Two-person approval of refunds and reversals. A support user asks (amount and reason, checked
 * against what is left now); a *different* support user approves or rejects in the support
 * channel; approval checks the amount and balance again, then the money moves once. One decision
 * per request, enforced by the database (see the ApprovalRequest migration) and checked here too.
 */
export class Approvals {
  private readonly kinds: ApprovalKinds;

  constructor(private readonly d: ApprovalDeps) {
    this.kinds = new ApprovalKinds(d.db, d.money);
  }

  /** Whether anyone could approve a request: two or more support users. */
  get canApprove(): boolean {
    return new Set(this.d.approvers).size >= 2;
  }

  /** What the request modal shows (null: nothing is left to refund / reverse now). */
  form(kind: ApprovalKind, targetId: string): Promise<RequestForm | null> {
    return this.kinds.form(kind, targetId);
  }

  /** Makes a pending request; a repeat of the same Slack request returns the request it made. */
  async request(actor: DeskActor, input: ApprovalInput): Promise<RequestOutcome> {
    const prior = await this.d.db.prisma.approvalRequest.findUnique({ where: { requestKey: actor.requestId } });
    if (prior) return { ok: true, request: await this.view(prior), repeated: true };
    if (!this.canApprove) return { ok: false, field: null, code: 'DESK.NO_SECOND_PERSON', message: 'a refund or reversal needs a second support user to approve it, and fewer than two are configured (SLACK_SUPPORT_USERS)' };
    const reason = input.reason.trim();
    if (!reason) return { ok: false, field: 'reason', code: 'DESK.NO_REASON', message: 'Give a reason: the approver and the audit log see it.' };
    if (reason.length > MAX_REASON) return { ok: false, field: 'reason', code: 'DESK.LONG_REASON', message: `Keep the reason under ${MAX_REASON} characters.` };
    const form = await this.kinds.form(input.kind, input.targetId);
    if (!form) return { ok: false, field: null, code: 'DESK.NOT_APPLICABLE', message: input.kind === 'refund' ? 'Nothing is left to refund on this purchase.' : 'This charge cannot be reversed now (nothing left, or the card holds nothing).' };
    const show = (v: bigint) => formatMoney(v, form.currency, 'en');
    let amount: bigint;
    try {
      amount = parseAmount(input.amountText, { allowed: [form.currency], fallback: form.currency }).amount;
    } catch (err) {
      if (!(err instanceof MoneyError)) throw err;
      return { ok: false, field: 'amount', code: err.code, message: `Enter an amount in ${form.currency} up to ${show(form.max)}, e.g. ${show(form.max)} (${err.message}).` };
    }
    if (amount > form.max) {
      const why = input.kind === 'refund' ? `only ${show(form.left)} is left to refund` : form.left < amount ? `only ${show(form.left)} is left to reverse` : `the card's balance is ${show(form.balance ?? 0n)}`;
      return { ok: false, field: 'amount', code: 'DESK.TOO_MUCH', message: `At most ${show(form.max)}: ${why}.` };
    }
    const now = this.d.clock.now();
    const id = newId();
    try {
      const row = await this.d.db.tx(async (tx) => {
        const created = await tx.approvalRequest.create({
          data: {
            id, kind: input.kind, targetId: input.targetId, memberId: form.memberId, cardId: form.cardId, amount, currency: form.currency, reason,
            requestedBy: actor.userId, requestedByName: actor.name, requestKey: actor.requestId, expiresAt: new Date(now.getTime() + this.d.ttlMs), createdAt: now,
          },
        });
        await audit(tx, {
          actor: slackActor(actor.userId), actorName: actor.name, action: `${input.kind}.request`, target: id, memberId: form.memberId, requestId: actor.requestId,
          before: { left: form.left.toString(), currency: form.currency, ...(form.balance !== undefined ? { balance: form.balance.toString() } : {}) },
          after: { status: 'pending', amount: amount.toString(), currency: form.currency },
          details: { via: 'slack', targetId: input.targetId, last4: form.last4, reason },
        });
        return created;
      });
      this.d.log.info({ request: id, kind: input.kind, actor: slackActor(actor.userId) }, 'support request waits for approval');
      return { ok: true, request: await this.view(row), repeated: false };
    } catch (err) {
      // The same Slack request arrived twice at once: the other one made the request.
      if (!(err instanceof RepeatedRequestError) && (err as { code?: string }).code !== 'P2002') throw err;
      const made = await this.d.db.prisma.approvalRequest.findUniqueOrThrow({ where: { requestKey: actor.requestId } });
      return { ok: true, request: await this.view(made), repeated: true };
    }
  }

  /** Approves or rejects a pending request; an approval checks the amount again and then moves the money. */
  async decide(actor: DeskActor, requestId: string, decision: 'approve' | 'reject'): Promise<DecisionResult> {
    const row = await this.d.db.prisma.approvalRequest.findUnique({ where: { id: requestId } });
    if (!row) return { outcome: 'not-found' };
    if (row.status === 'approved' && row.outcome === null) await this.carryOut(row);
    if (row.status !== 'pending') return { outcome: 'already', request: await this.reload(requestId) };
    const refuse = async (outcome: 'own-request' | 'no-second-person' | 'not-approver', why: string): Promise<DecisionResult> => {
      await this.record(actor, row, `${row.kind}.${decision}-refused`, { status: row.status }, { status: row.status }, { why });
      return { outcome, request: await this.view(row) };
    };
    if (!this.d.approvers.includes(actor.userId)) return refuse('not-approver', 'not a support user');
    if (!this.canApprove) return refuse('no-second-person', 'fewer than two support users');
    if (actor.userId === row.requestedBy) return refuse('own-request', 'the requester cannot decide their own request');
    const now = this.d.clock.now();
    if (row.expiresAt <= now) return this.settle(actor, row, 'expired');
    if (decision === 'reject') return this.settle(actor, row, 'rejected');
    const problem = await this.kinds.recheck(row.kind as ApprovalKind, row.targetId, row.amount);
    if (problem) {
      await this.record(actor, row, `${row.kind}.approve-refused`, { status: 'pending' }, { status: 'pending' }, { why: problem });
      return { outcome: 'not-covered', request: await this.view(row), note: `Cannot approve: ${problem}. The request still waits; reject it or ask again.` };
    }
    return this.settle(actor, row, 'approved');
  }

  /** Notes where the request's Approve / Reject message was posted. */
  async setMessage(requestId: string, channel: string, ts: string): Promise<void> {
    await this.d.db.prisma.approvalRequest.update({ where: { id: requestId }, data: { channel, messageTs: ts } });
  }

  /** One request, or null. */
  async get(requestId: string): Promise<ApprovalView | null> {
    const row = await this.d.db.prisma.approvalRequest.findUnique({ where: { id: requestId } });
    return row ? this.view(row) : null;
  }

  /**
   * Carries out approved requests that were left without an outcome (the process stopped between
   * the decision and the money moving), decided more than `graceMs` ago. Returns how many.
   */
  async settleApproved(graceMs = 60_000): Promise<number> {
    const before = new Date(this.d.clock.now().getTime() - graceMs);
    const rows = await this.d.db.prisma.approvalRequest.findMany({ where: { status: 'approved', outcome: null, decidedAt: { lt: before } }, take: 50 });
    for (const r of rows) await this.carryOut(r);
    return rows.length;
  }

  /** Records the one decision (the database refuses a second) and, for an approval, moves the money. */
  private async settle(actor: DeskActor, row: ApprovalRequest, status: 'approved' | 'rejected' | 'expired'): Promise<DecisionResult> {
    const now = this.d.clock.now();
    const person = status === 'expired' ? { decidedBy: null, decidedByName: null } : { decidedBy: actor.userId, decidedByName: actor.name };
    try {
      const won = await this.d.db.tx(async (tx) => {
        const done = await tx.approvalRequest.updateMany({ where: { id: row.id, status: 'pending' }, data: { status, decidedAt: now, ...person } });
        if (done.count !== 1) return false;
        await audit(tx, {
          actor: slackActor(actor.userId), actorName: actor.name, action: `${row.kind}.${status === 'approved' ? 'approve' : status === 'rejected' ? 'reject' : 'expire'}`,
          target: row.id, memberId: row.memberId, requestId: actor.requestId, before: { status: 'pending' }, after: { status },
          details: { via: 'slack', amount: row.amount.toString(), currency: row.currency, requestedBy: row.requestedBy },
        });
        return true;
      });
      if (!won) return { outcome: 'already', request: await this.reload(row.id) };
    } catch (err) {
      if (err instanceof RepeatedRequestError) return { outcome: 'already', request: await this.reload(row.id) };
      throw err;
    }
    if (status !== 'approved') return { outcome: status, request: await this.reload(row.id) };
    const result = await this.carryOut({ ...row, status, decidedBy: actor.userId });
    return { outcome: result.outcome === 'done' ? 'approved' : 'failed', request: await this.reload(row.id), note: result.note };
  }

  /** Moves the money of an approved request (idempotent per request id) and records its outcome once. */
  private async carryOut(row: ApprovalRequest): Promise<{ outcome: 'done' | 'failed'; note: string }> {
    const r = await this.kinds.execute({ id: row.id, kind: row.kind as ApprovalKind, targetId: row.targetId, amount: row.amount, currency: row.currency, reason: row.reason, decidedBy: row.decidedBy! });
    await this.d.db.prisma.approvalRequest.updateMany({ where: { id: row.id, outcome: null }, data: { outcome: r.outcome, outcomeNote: r.note.slice(0, 500), executedAt: this.d.clock.now() } });
    if (r.outcome === 'failed') {
      await this.d.db.tx((tx) => audit(tx, { actor: 'system', action: `${row.kind}.failed`, target: row.id, memberId: row.memberId, details: { why: r.note.slice(0, 200) } }));
      this.d.log.warn({ request: row.id, why: r.note }, 'approved support request could not be carried out');
    }
    return r;
  }

  private async record(actor: DeskActor, row: ApprovalRequest, action: string, before: Record<string, string>, after: Record<string, string>, details: Record<string, string>): Promise<void> {
    try {
      await this.d.db.tx((tx) => audit(tx, { actor: slackActor(actor.userId), actorName: actor.name, action, target: row.id, memberId: row.memberId, requestId: actor.requestId, before, after, details: { via: 'slack', ...details } }));
    } catch (err) {
      if (!(err instanceof RepeatedRequestError)) throw err;
    }
  }

  private async reload(id: string): Promise<ApprovalView> {
    return this.view(await this.d.db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } }));
  }

  private async view(r: ApprovalRequest): Promise<ApprovalView> {
    const prisma = this.d.db.prisma;
    const [member, card, subject] = await Promise.all([
      prisma.member.findUniqueOrThrow({ where: { id: r.memberId }, select: { username: true } }),
      prisma.card.findUniqueOrThrow({ where: { id: r.cardId }, select: { last4: true } }),
      r.kind === 'refund'
        ? prisma.cardUsage.findUniqueOrThrow({ where: { id: r.targetId } }).then((u): ApprovalSubject => ({ kind: u.kind, label: u.merchant, at: u.createdAt, original: u.amount }))
        : prisma.charge.findUniqueOrThrow({ where: { id: r.targetId } }).then((c): ApprovalSubject => ({ kind: 'charge', label: c.reference, at: c.completedAt ?? c.createdAt, original: c.toAmount })),
    ]);
    return {
      id: r.id, kind: r.kind as ApprovalKind, status: r.status, targetId: r.targetId, memberId: r.memberId, username: member.username, cardId: r.cardId, last4: card.last4, subject,
      amount: r.amount, currency: r.currency, reason: r.reason, requestedBy: r.requestedBy, requestedByName: r.requestedByName, decidedBy: r.decidedBy, decidedByName: r.decidedByName,
      outcome: r.outcome, outcomeNote: r.outcomeNote, expiresAt: r.expiresAt, channel: r.channel, messageTs: r.messageTs,
    };
  }
}
