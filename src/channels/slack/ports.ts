import type { Config } from '../../config/config.js';
import type { StateStore } from '../../infra/store/store.js';
import type { Logger } from '../../lib/logger.js';
import type { DeskPorts } from './desk/index.js';

/** A support ticket as the Slack side needs it. */
export interface TicketRef {
  ticketId: string;
  ticket: string;
  status: string;
  chatKey: string;
  memberId: string | null;
}

/** The ticket operations the Slack side calls (the app passes the support service). */
export interface SupportDesk {
  forThread(channel: string, threadTs: string): Promise<TicketRef | null>;
  byId(ticketId: string): Promise<TicketRef | null>;
  /** An agent's thread reply for the chat; `messageKey` (channel:ts) makes a repeat harmless. */
  agentReply(i: { ticketId: string; agentId: string; agentName: string; text: string; messageKey: string }): Promise<'relayed' | 'closed' | 'duplicate'>;
  closeBySlack(ticketId: string, agentId: string): Promise<{ closed: boolean; ticket: string }>;
  /** The ticket's context now (the same shape as a thread root's data), for [Look up]. */
  context(ticketId: string): Promise<object | null>;
  /** Audits an attempt by someone not on the support team. */
  refused(userId: string, action: string, target?: string): Promise<void>;
}

/** A post the outbox hands the poster (data per kind: see messages.ts). */
export interface OutboxPost {
  id: string;
  kind: string;
  attempts: number;
  data: Record<string, unknown>;
  ticketId: string | null;
  threadTs?: string;
  channel: string | null;
  updateTs?: string;
}

/** The Slack outbox as the poster drives it (the app passes the support service's outbox). */
export interface SlackPostQueue {
  feedAlerts(): Promise<number>;
  scheduleReminders(): Promise<number>;
  due(): Promise<OutboxPost[]>;
  claim(post: OutboxPost): Promise<boolean>;
  posted(post: OutboxPost, where: { channel: string; ts: string }): Promise<void>;
  retry(id: string, o: { at: Date; error: string; countAttempt: boolean }): Promise<void>;
  failed(id: string, error: string): Promise<void>;
}

/** What the Slack channel gets from the app. Channels never reach services or the database. */
export interface SlackPorts {
  config: Config;
  log: Logger;
  /** Event de-duplication across processes (`event_id`). */
  store: Pick<StateStore, 'claimOnce' | 'get' | 'set' | 'del'>;
  support: SupportDesk;
  outbox: SlackPostQueue;
  desk: DeskPorts;
  /** The app's clock (retry times of the outbox). */
  now(): Date;
}
