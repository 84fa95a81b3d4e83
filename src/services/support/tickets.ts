import { secretIn, type SecretKind } from '../../domain/secrets/detect.js';
import type { Tx } from '../../infra/db/database.js';
import { newId } from '../../lib/ids.js';
import { audit } from '../audit.js';
import { queueNotice } from '../notices.js';
import { memberContext, supportTime } from './context.js';
import { ticketNumber } from './number.js';
import type { SlackOutbox } from './outbox.js';
import type { SupportDeps, TicketContext } from './types.js';

/** The signal of the notice that ends a hand-off in the chat (flows/handoff). */
export const SUPPORT_CLOSED_SIGNAL = 'support-closed';
/** The catalogue key of an agent's reply in the chat; the undeliverable observer looks for it. */
export const AGENT_REPLY_KEY = 'support-agent-reply';
/** Messages a chat may relay a minute (a person types slower; this stops a flood reaching Slack). */
const RELAY_PER_MINUTE = 20;
/** The longest agent reply a chat gets (Telegram splits past 4096; nobody writes more in a thread). */
const REPLY_MAX = 3500;
const DAY_MS = 86_400_000;

/** A support ticket as the Slack side sees it. */
export interface TicketRef {
  ticketId: string;
  ticket: string;
  status: string;
  chatKey: string;
  memberId: string | null;
}

/** Something a ticket operation refused (a wiring or input error, never a person's normal path). */
export class SupportError extends Error {
  constructor(readonly code: 'SUPPORT.SECRET' | 'SUPPORT.NO_TICKET', message: string) {
    super(message);
  }
}

/**
 * Support tickets (the `SupportThread` rows): opened from a chat's hand-off, relayed both ways,
 * closed from either side. Everything Slack must show is queued in the Slack outbox in the same
 * transaction; everything the chat must be told is a chat notice, likewise.
 */
export class SupportTickets {
  constructor(private readonly deps: SupportDeps, private readonly outbox: SlackOutbox) {
    outbox.onRootFailed = (tx, ticketId, error) => this.rootFailed(tx, ticketId, error);
  }

  /**
   * The chat's open ticket, and how many it may still open in the last 24 hours. Without a Slack
   * desk (`SLACK_BOT_TOKEN` unset) nobody would read a new ticket, so none can be opened.
   */
  async status(chatKey: string, memberId: string | null) {
    const open = await this.deps.db.prisma.supportThread.findFirst({ where: { chatKey, status: 'open' }, orderBy: { createdAt: 'desc' } });
    const max = this.deps.config.SUPPORT_TICKETS_PER_DAY;
    const used = await this.openedToday(this.deps.db.prisma as unknown as Tx, chatKey, memberId);
    return { open: open ? { ticketId: open.id, ticket: ticketNumber(open.number) } : null, left: Math.max(0, max - used), max, available: Boolean(this.deps.config.SLACK_BOT_TOKEN) };
  }

  /** Opens a ticket and queues its thread root with the member's context (one open ticket a chat). */
  async open(i: { chatKey: string; memberId: string | null; username: string | null; lang: string; summary: string; from: string }) {
    if (secretIn(i.summary)) throw new SupportError('SUPPORT.SECRET', 'a ticket summary that looks like a secret is not kept');
    const now = this.deps.clock.now();
    const max = this.deps.config.SUPPORT_TICKETS_PER_DAY;
    const result = await this.deps.db.tx(async (tx) => {
      const open = await tx.supportThread.findFirst({ where: { chatKey: i.chatKey, status: 'open' } });
      if (open) return { ok: false as const, reason: 'open' as const, ticketId: open.id, ticket: ticketNumber(open.number) };
      if ((await this.openedToday(tx, i.chatKey, i.memberId)) >= max) return { ok: false as const, reason: 'limit' as const, max };
      const id = newId();
      const row = await tx.supportThread.create({ data: { id, chatKey: i.chatKey, memberId: i.memberId, summary: i.summary.slice(0, 500), waitingSince: now } });
      const context: TicketContext = {
        ticketId: id,
        ticket: ticketNumber(row.number),
        summary: row.summary,
        channel: i.chatKey.slice(0, i.chatKey.indexOf(':')),
        from: i.from,
        openedAt: supportTime(now, this.deps.config.OPERATOR_TIMEZONE),
        member: i.memberId ? await memberContext(tx, i.memberId, now, this.deps.config.OPERATOR_TIMEZONE) : null,
      };
      await this.outbox.enqueue(tx, { kind: 'ticket', ticketId: id, data: context });
      return { ok: true as const, ticketId: id, ticket: context.ticket };
    });
    if (result.ok) this.deps.log.info({ ticket: result.ticket, chat: i.chatKey }, 'support ticket opened');
    return result;
  }

  /** A cardholder's message for the ticket's thread. */
  async relayFromChat(i: { ticketId: string; chatKey: string; text: string }): Promise<{ status: 'sent' } | { status: 'closed' } | { status: 'refused'; what: SecretKind } | { status: 'slow' }> {
    const what = secretIn(i.text);
    if (what) return { status: 'refused', what };
    if ((await this.deps.store.hit(`support:relay:${i.chatKey}`, 60_000)) > RELAY_PER_MINUTE) return { status: 'slow' };
    return this.deps.db.tx(async (tx) => {
      const t = await tx.supportThread.findUnique({ where: { id: i.ticketId } });
      if (!t || t.status !== 'open' || t.chatKey !== i.chatKey) return { status: 'closed' as const };
      await this.outbox.enqueue(tx, { kind: 'relay', ticketId: t.id, data: { ticket: ticketNumber(t.number), text: i.text } });
      if (!t.waitingSince) await tx.supportThread.update({ where: { id: t.id }, data: { waitingSince: this.deps.clock.now() } });
      return { status: 'sent' as const };
    });
  }

  /** The cardholder ended the conversation (End conversation, /end). */
  async closeByCardholder(i: { ticketId: string; chatKey: string }): Promise<{ closed: boolean; ticket: string }> {
    return this.deps.db.tx(async (tx) => {
      const t = await tx.supportThread.findUnique({ where: { id: i.ticketId } });
      if (!t || t.chatKey !== i.chatKey) throw new SupportError('SUPPORT.NO_TICKET', 'no such ticket for this chat');
      const closed = await this.close(tx, t.id, 'cardholder');
      return { closed, ticket: ticketNumber(t.number) };
    });
  }

  /** The ticket whose root is this Slack message, if any. */
  async forThread(channel: string, threadTs: string): Promise<TicketRef | null> {
    const t = await this.deps.db.prisma.supportThread.findFirst({ where: { slackTs: threadTs, slackChannel: channel } });
    return t ? { ticketId: t.id, ticket: ticketNumber(t.number), status: t.status, chatKey: t.chatKey, memberId: t.memberId } : null;
  }

  /** A ticket by id, if any. */
  async byId(ticketId: string): Promise<TicketRef | null> {
    const t = await this.deps.db.prisma.supportThread.findUnique({ where: { id: ticketId } });
    return t ? { ticketId: t.id, ticket: ticketNumber(t.number), status: t.status, chatKey: t.chatKey, memberId: t.memberId } : null;
  }

  /**
   * An agent's thread reply for the chat, as a notice (delivered in order, after a restart too).
   * `messageKey` (the Slack message) makes a second delivery of the same reply add nothing.
   */
  async agentReply(i: { ticketId: string; agentId: string; agentName: string; text: string; messageKey: string }): Promise<'relayed' | 'closed' | 'duplicate'> {
    const noticeId = `slack:${i.messageKey}`;
    return this.deps.db.tx(async (tx) => {
      const t = await tx.supportThread.findUnique({ where: { id: i.ticketId } });
      if (!t) throw new SupportError('SUPPORT.NO_TICKET', 'no such ticket');
      if (t.status !== 'open') return 'closed';
      if (await tx.chatNotice.findUnique({ where: { id: noticeId }, select: { id: true } })) return 'duplicate';
      const text = i.text.length > REPLY_MAX ? `${i.text.slice(0, REPLY_MAX)}…` : i.text;
      await queueNotice(tx, { id: noticeId, chatKey: t.chatKey, key: AGENT_REPLY_KEY, vars: { agent: i.agentName, text, ticket: ticketNumber(t.number), ticketId: t.id } });
      await tx.supportThread.update({ where: { id: t.id }, data: { waitingSince: null } });
      await audit(tx, { actor: `slack:${i.agentId}`, action: 'support.reply', target: t.id, details: { ticket: ticketNumber(t.number) } });
      return 'relayed';
    });
  }

  /** [Close] in the thread: closed, both sides told, the chat's hand-off ends. */
  async closeBySlack(ticketId: string, agentId: string): Promise<{ closed: boolean; ticket: string }> {
    return this.deps.db.tx(async (tx) => {
      const t = await tx.supportThread.findUnique({ where: { id: ticketId } });
      if (!t) throw new SupportError('SUPPORT.NO_TICKET', 'no such ticket');
      const closed = await this.close(tx, t.id, `slack:${agentId}`);
      if (closed) await audit(tx, { actor: `slack:${agentId}`, action: 'support.close', target: t.id, details: { ticket: ticketNumber(t.number) } });
      return { closed, ticket: ticketNumber(t.number) };
    });
  }

  /** The ticket's context as it is now (for [Look up]). */
  async context(ticketId: string): Promise<TicketContext | null> {
    const root = await this.deps.db.prisma.slackPost.findFirst({ where: { ticketId, kind: 'ticket' } });
    if (!root) return null;
    const base = root.data as unknown as TicketContext;
    if (!base.member) return base;
    const member = await memberContext(this.deps.db.prisma as unknown as Tx, base.member.id, this.deps.clock.now(), this.deps.config.OPERATOR_TIMEZONE);
    return { ...base, member };
  }

  /** Records a refusal of someone not on the support team (who, what they tried). */
  async refused(userId: string, action: string, target?: string): Promise<void> {
    await this.deps.db.tx((tx) => audit(tx, { actor: `slack:${userId}`, action: 'support.refused', ...(target ? { target } : {}), details: { attempted: action } }));
  }

  /** An agent's reply could not reach the chat: the thread says so (called in the outcome's transaction). */
  async markUndelivered(tx: Tx, ticketId: string, reason: string): Promise<void> {
    const t = await tx.supportThread.findUnique({ where: { id: ticketId }, select: { id: true, number: true } });
    if (t) await this.outbox.enqueue(tx, { kind: 'undelivered', ticketId: t.id, data: { ticket: ticketNumber(t.number), reason: reason.slice(0, 200) } });
  }

  /** Closes an open ticket (false: it was closed already) and queues what each side is told. */
  private async close(tx: Tx, ticketId: string, by: string): Promise<boolean> {
    const won = await tx.supportThread.updateMany({ where: { id: ticketId, status: 'open' }, data: { status: 'closed', closedAt: this.deps.clock.now(), closedBy: by, waitingSince: null } });
    if (won.count !== 1) return false;
    const t = await tx.supportThread.findUniqueOrThrow({ where: { id: ticketId } });
    const ticket = ticketNumber(t.number);
    if (by !== 'cardholder') {
      await queueNotice(tx, { chatKey: t.chatKey, key: by === 'system' ? 'support-unreachable' : 'support-closed-by-agent', vars: { ticket }, signal: SUPPORT_CLOSED_SIGNAL });
    }
    if (by === 'system') return true;
    await this.outbox.enqueue(tx, { kind: 'closed', ticketId, data: { ticket, by } });
    const root = await tx.slackPost.findFirst({ where: { ticketId, kind: 'ticket' }, select: { data: true } });
    if (root) await this.outbox.enqueue(tx, { kind: 'ticket-closed', ticketId, data: { ...(root.data as object), closedBy: by } });
    this.deps.log.info({ ticket, by }, 'support ticket closed');
    return true;
  }

  /** The thread root could not be posted at all: the ticket closes and the cardholder is told. */
  private async rootFailed(tx: Tx, ticketId: string, error: string): Promise<void> {
    this.deps.log.error({ ticket: ticketId, err: error }, 'support ticket could not be posted to Slack; closed');
    await this.close(tx, ticketId, 'system');
    await tx.slackPost.updateMany({ where: { ticketId, status: 'pending' }, data: { status: 'failed', lastError: 'the ticket thread was never posted' } });
  }

  /** Tickets the chat (or the member, from any chat) opened in the last 24 hours. */
  private openedToday(tx: Tx, chatKey: string, memberId: string | null): Promise<number> {
    const since = new Date(this.deps.clock.now().getTime() - DAY_MS);
    return tx.supportThread.count({ where: { createdAt: { gte: since }, OR: [{ chatKey }, ...(memberId ? [{ memberId }] : [])] } });
  }
}
