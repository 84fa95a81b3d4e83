/**
 * Support: hand-off tickets between a cardholder's chat and the support team's Slack thread, and
 * the Slack outbox that carries tickets, relayed messages, reminders and alerts to the channel.
 * Slack itself is the channel's business (src/channels/slack): these services only queue posts.
 */
import type { SupportDeps } from './types.js';
import { SlackOutbox } from './outbox.js';
import { SupportTickets } from './tickets.js';

export { AGENT_REPLY_KEY, SUPPORT_CLOSED_SIGNAL, SupportError, type TicketRef } from './tickets.js';
export type { DuePost, OutboxHealth } from './outbox.js';
export type * from './types.js';
export type { SlackOutbox } from './outbox.js';
export type { SupportTickets } from './tickets.js';

/** The support services as one group (`services.support`). */
export interface SupportServices {
  tickets: SupportTickets;
  outbox: SlackOutbox;
}

/** Builds the support services. */
export function createSupportServices(deps: SupportDeps): SupportServices {
  const d = { ...deps, log: deps.log.child({ part: 'support' }) };
  const outbox = new SlackOutbox(d);
  return { outbox, tickets: new SupportTickets(d, outbox) };
}
