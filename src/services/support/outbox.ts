import type { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db/database.js';
import { newId } from '../../lib/ids.js';
import { supportTime } from './context.js';
import { ticketNumber } from './number.js';
import type { AlertPostData, SlackPostKind, SupportDeps } from './types.js';

/** A claimed row is tried again after this long if its poster died mid-post. */
const LEASE_MS = 2 * 60_000;
/** Alerts older than this when the outbox first sees them (Slack was off) are not posted any more. */
const ALERT_MAX_AGE_MS = 24 * 3600_000;
const BATCH = 50;

/** A post the Slack side may make now: where, and what (its `data` per kind, see types.ts). */
export interface DuePost {
  id: string;
  kind: SlackPostKind;
  attempts: number;
  data: Record<string, unknown>;
  ticketId: string | null;
  /** The thread to post in (the ticket's root), for posts in a ticket's thread. */
  threadTs?: string;
  /** The channel of that thread, or of the root to update; null: the support channel. */
  channel: string | null;
  /** The message to replace (`ticket-closed`: the ticket's root). */
  updateTs?: string;
}

/** Failed posts of the last day, for /healthz. */
export interface OutboxHealth {
  failed: number;
  lastError?: string;
}

/**
 * The Slack outbox: posts for the support channel, written in the transaction of their cause
 * (a ticket opened, a message relayed, an alert fed from the Alert table) and posted in `seq`
 * order by the Slack side, one row at a time: {@link due} lists what may go, {@link claim} wins a
 * row (attempts and due time unchanged, as the mail outbox does), then {@link posted},
 * {@link retry} or {@link failed}. A thread's posts wait for its root and for each other.
 */
export class SlackOutbox {
  /** Called when a ticket's root can never be posted (the ticket is closed and the chat told). */
  onRootFailed: (tx: Tx, ticketId: string, error: string) => Promise<void> = async () => undefined;

  constructor(private readonly deps: SupportDeps) {}

  /** Queues a post in the caller's transaction. */
  async enqueue(tx: Tx, post: { kind: SlackPostKind; ticketId?: string; alertId?: string; data: object }): Promise<string> {
    const id = newId();
    await tx.slackPost.create({ data: { id, kind: post.kind, ticketId: post.ticketId ?? null, alertId: post.alertId ?? null, data: post.data as Prisma.InputJsonValue } });
    return id;
  }

  /** Hands new alerts to the outbox, each once (the unique `alertId` holds across processes). */
  async feedAlerts(): Promise<number> {
    const now = this.deps.clock.now();
    const fresh = await this.deps.db.prisma.alert.findMany({ where: { slackQueuedAt: null }, orderBy: { createdAt: 'asc' }, take: BATCH });
    let fed = 0;
    for (const a of fresh) {
      const queued = await this.deps.db.tx(async (tx) => {
        const won = await tx.alert.updateMany({ where: { id: a.id, slackQueuedAt: null }, data: { slackQueuedAt: now } });
        if (won.count !== 1) return false;
        if (now.getTime() - a.createdAt.getTime() > ALERT_MAX_AGE_MS) return false;
        const member = a.memberId ? await tx.member.findUnique({ where: { id: a.memberId }, select: { username: true } }) : null;
        const card = a.cardId ? await tx.card.findUnique({ where: { id: a.cardId }, select: { last4: true } }) : null;
        const data: AlertPostData = {
          alertId: a.id,
          kind: a.kind,
          at: supportTime(a.createdAt, this.deps.config.OPERATOR_TIMEZONE),
          ...(a.memberId ? { memberId: a.memberId } : {}),
          ...(member ? { username: member.username } : {}),
          ...(card ? { last4: card.last4 } : {}),
          details: (a.details ?? {}) as AlertPostData['details'],
        };
        await this.enqueue(tx, { kind: 'alert', alertId: a.id, data });
        return true;
      });
      if (queued) fed++;
      else if (now.getTime() - a.createdAt.getTime() > ALERT_MAX_AGE_MS) this.deps.log.info({ alert: a.id, kind: a.kind }, 'alert older than a day when Slack first saw it; not posted');
    }
    return fed;
  }

  /** Queues a reminder in the thread of each ticket whose cardholder waits longer than SUPPORT_REPLY_MINUTES (once per wait). */
  async scheduleReminders(): Promise<number> {
    const now = this.deps.clock.now();
    const minutes = this.deps.config.SUPPORT_REPLY_MINUTES;
    const waiting = await this.deps.db.prisma.supportThread.findMany({
      where: { status: 'open', slackTs: { not: null }, waitingSince: { lte: new Date(now.getTime() - minutes * 60_000) } },
      orderBy: { waitingSince: 'asc' },
      take: BATCH,
    });
    let queued = 0;
    for (const t of waiting) {
      if (t.remindedAt && t.waitingSince && t.remindedAt >= t.waitingSince) continue;
      const done = await this.deps.db.tx(async (tx) => {
        const won = await tx.supportThread.updateMany({ where: { id: t.id, status: 'open', waitingSince: t.waitingSince, remindedAt: t.remindedAt }, data: { remindedAt: now } });
        if (won.count !== 1) return false;
        const waited = Math.floor((now.getTime() - t.waitingSince!.getTime()) / 60_000);
        await this.enqueue(tx, { kind: 'reminder', ticketId: t.id, data: { ticket: ticketNumber(t.number), minutes: waited } });
        return true;
      });
      if (done) queued++;
    }
    return queued;
  }

  /** Posts that may go now, in order; a thread's posts only once its root is posted and the posts before them are done. */
  async due(limit = BATCH): Promise<DuePost[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db.prisma.slackPost.findMany({ where: { status: 'pending', nextAttemptAt: { lte: now } }, orderBy: { seq: 'asc' }, take: limit });
    const out: DuePost[] = [];
    const roots = new Map<string, { slackTs: string | null; slackChannel: string | null } | null>();
    for (const r of rows) {
      const base = { id: r.id, kind: r.kind as SlackPostKind, attempts: r.attempts, data: (r.data ?? {}) as Record<string, unknown>, ticketId: r.ticketId, channel: r.channel };
      if (!r.ticketId || r.kind === 'ticket') {
        out.push(base);
        continue;
      }
      if (!roots.has(r.ticketId)) roots.set(r.ticketId, await this.deps.db.prisma.supportThread.findUnique({ where: { id: r.ticketId }, select: { slackTs: true, slackChannel: true } }));
      const root = roots.get(r.ticketId);
      if (!root?.slackTs) {
        // The root is not posted yet; if it never will be, neither will this.
        const rootRow = await this.deps.db.prisma.slackPost.findFirst({ where: { ticketId: r.ticketId, kind: 'ticket' }, select: { status: true } });
        if (!root || rootRow?.status === 'failed') await this.failed(r.id, 'the ticket thread was never posted');
        continue;
      }
      // Earlier posts of the thread that are waiting (a retry) hold this one back; those listed here go first.
      const earlier = await this.deps.db.prisma.slackPost.count({ where: { ticketId: r.ticketId, status: 'pending', seq: { lt: r.seq }, id: { notIn: out.map((o) => o.id) } } });
      if (earlier > 0) continue;
      const where = r.kind === 'ticket-closed' ? { updateTs: root.slackTs } : { threadTs: root.slackTs };
      out.push({ ...base, ...where, channel: root.slackChannel });
    }
    return out;
  }

  /** Wins a due post for this poster (false: another one has it, or it changed). */
  async claim(post: DuePost): Promise<boolean> {
    const now = this.deps.clock.now();
    const won = await this.deps.db.prisma.slackPost.updateMany({ where: { id: post.id, status: 'pending', attempts: post.attempts, nextAttemptAt: { lte: now } }, data: { attempts: post.attempts + 1, nextAttemptAt: new Date(now.getTime() + LEASE_MS) } });
    return won.count === 1;
  }

  /** Slack took the post: its `ts` is kept (a ticket's root then opens its thread for the rest). */
  async posted(post: DuePost, where: { channel: string; ts: string }): Promise<void> {
    await this.deps.db.tx(async (tx) => {
      await tx.slackPost.update({ where: { id: post.id }, data: { status: 'posted', channel: where.channel, ts: where.ts, postedAt: this.deps.clock.now(), lastError: null } });
      if (post.kind === 'ticket' && post.ticketId) await tx.supportThread.update({ where: { id: post.ticketId }, data: { slackChannel: where.channel, slackTs: where.ts } });
    });
  }

  /** Tries the post again at `at`; a rate limit does not count as an attempt. */
  async retry(id: string, o: { at: Date; error: string; countAttempt: boolean }): Promise<void> {
    await this.deps.db.prisma.slackPost.update({ where: { id }, data: { nextAttemptAt: o.at, lastError: o.error.slice(0, 300), ...(o.countAttempt ? {} : { attempts: { decrement: 1 } }) } });
  }

  /** Gives a post up for good; a ticket whose root failed is closed and its chat told. */
  async failed(id: string, error: string): Promise<void> {
    await this.deps.db.tx(async (tx) => {
      const row = await tx.slackPost.update({ where: { id }, data: { status: 'failed', lastError: error.slice(0, 300) } });
      if (row.kind === 'ticket' && row.ticketId) await this.onRootFailed(tx, row.ticketId, error);
    });
  }

  /** Posts given up in the last day, and the latest reason. */
  async health(): Promise<OutboxHealth> {
    const since = new Date(this.deps.clock.now().getTime() - 86_400_000);
    const failed = await this.deps.db.prisma.slackPost.count({ where: { status: 'failed', createdAt: { gte: since } } });
    if (!failed) return { failed };
    const last = await this.deps.db.prisma.slackPost.findFirst({ where: { status: 'failed', createdAt: { gte: since } }, orderBy: { seq: 'desc' }, select: { lastError: true } });
    return { failed, ...(last?.lastError ? { lastError: last.lastError } : {}) };
  }
}
