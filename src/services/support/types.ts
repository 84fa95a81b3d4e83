import type { Clock } from '../../lib/clock.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../../infra/db/database.js';
import type { StateStore } from '../../infra/store/store.js';

/** What the support services are built from. */
export interface SupportDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'OPERATOR_TIMEZONE' | 'SUPPORT_REPLY_MINUTES' | 'SUPPORT_TICKETS_PER_DAY' | 'SLACK_BOT_TOKEN'>;
  store: Pick<StateStore, 'hit'>;
}

/** What a Slack post is for; the Slack side renders each kind (src/channels/slack/messages.ts). */
export type SlackPostKind = 'alert' | 'ticket' | 'relay' | 'reminder' | 'closed' | 'undelivered' | 'ticket-closed';

/** A card as the ticket's context shows it: last 4 only, amounts formatted. */
export interface ContextCard {
  last4: string;
  currency: string;
  state: string;
  balance: string;
}

/** One recent movement on a member's cards. */
export interface ContextMovement {
  at: string;
  last4: string;
  kind: string;
  amount: string;
}

/** One recent alert about the member. */
export interface ContextAlert {
  kind: string;
  at: string;
}

/** The member part of a ticket's context (absent for a guest). */
export interface ContextMember {
  id: string;
  username: string;
  status: string;
  language: string;
  loginLocked: boolean;
  cards: ContextCard[];
  movements: ContextMovement[];
  alerts: ContextAlert[];
}

/** What the thread root of a ticket shows (and [Look up] shows again, fresh). No secrets. */
export interface TicketContext {
  ticketId: string;
  ticket: string;
  summary: string;
  /** The chat's channel: telegram, console … */
  channel: string;
  /** Where the chat was: `menu`, or a flow and its step. */
  from: string;
  openedAt: string;
  member: ContextMember | null;
}

/** An alert as the support channel shows it. `memberId` feeds the [Unlock log-in] button. */
export interface AlertPostData {
  alertId: string;
  kind: string;
  at: string;
  memberId?: string;
  username?: string;
  last4?: string;
  details: Record<string, string | number | boolean | null>;
}
