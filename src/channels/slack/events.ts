import type { App } from '@slack/bolt';
import { failpoint } from '../../lib/failpoints.js';
import type { Logger } from '../../lib/logger.js';
import { authorize, type SlackAccess } from './authorize.js';
import { FILES_NOT_RELAYED, REPLY_NOT_RELAYED, replyToClosed } from './messages.js';
import type { SlackPorts } from './ports.js';

/** How long a handled `event_id` is remembered (Slack retries for minutes; a week is plenty). */
const EVENT_DEDUP_MS = 7 * 24 * 3600_000;
/**
 * How long one delivery holds its `event_id` while it is handled. A redelivery meanwhile (Slack's
 * retry of a slow answer, or of one lost with a crashed process) is answered 500, so Slack tries
 * again (after 1 and 5 minutes): by then the first is done, or its hold has lapsed and the retry
 * handles the event (the chat notice's key keeps a repeat harmless).
 */
const EVENT_LEASE_MS = 10_000;

/** A delivery of an event another delivery is handling: answered 500, so Slack tries again later. */
export class EventInFlightError extends Error {
  readonly code = 'SLACK.EVENT_IN_FLIGHT';
  constructor(readonly eventId: string) {
    super(`slack event ${eventId} is being handled by another delivery; Slack will deliver it again`);
  }
}
const NAME_TTL_MS = 3600_000;

/** The parts of a `message` event the relay reads. */
interface MessageEvent {
  channel?: string;
  user?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
}

/** A thread reply with the fields the relay needs. */
type ThreadMessage = MessageEvent & { channel: string; ts: string; thread_ts: string; user: string };

/** What the thread listener needs. */
export interface ThreadDeps {
  ports: SlackPorts;
  access: SlackAccess;
  log: Logger;
}

/**
 * Slack's message text as the cardholder should read it: mentions and channel links by name,
 * `<url|label>` as `label (url)`, `<!here>` dropped, entities decoded. No markup survives.
 */
export async function slackToPlain(text: string, nameOf: (userId: string) => Promise<string>): Promise<string> {
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(/<([^<>]+)>/g)) {
    parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    const [target, label] = m[1]!.split('|', 2) as [string, string | undefined];
    if (target.startsWith('@')) parts.push(`@${label ?? (await nameOf(target.slice(1)))}`);
    else if (target.startsWith('#')) parts.push(`#${label ?? 'channel'}`);
    else if (target.startsWith('!')) parts.push(label ?? '');
    else if (target.startsWith('mailto:')) parts.push(label ?? target.slice(7));
    else parts.push(label && label !== target ? `${label} (${target})` : target);
  }
  parts.push(text.slice(last));
  return parts.join('').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}

/**
 * Replies in a ticket's thread: a support user's reply goes to the cardholder's chat (as a notice,
 * through the chat's outbound queue); anyone else's is not relayed, told so and audited. Bot posts
 * (ours and other apps') and message subtypes (edits, deletions, joins) are never relayed. Slack's
 * redeliveries carry the same `event_id`, claimed in the store across processes: one handled is
 * skipped, one being handled is answered 500 (Slack tries again later).
 */
export function registerThreadReplies(app: App, d: ThreadDeps): void {
  const names = new Map<string, { name: string; at: number }>();
  const nameOf = async (client: App['client'], userId: string): Promise<string> => {
    const hit = names.get(userId);
    if (hit && Date.now() - hit.at < NAME_TTL_MS) return hit.name;
    const info = await client.users.info({ user: userId }).catch(() => null);
    const u = info?.user;
    // The full name reads best in the cardholder's chat; display names are often nicknames or empty.
    const name = u?.profile?.real_name || u?.real_name || u?.profile?.display_name || u?.name || 'Support';
    names.set(userId, { name, at: Date.now() });
    return name;
  };

  /** One thread reply, once its delivery holds the event: relayed, refused or dropped. */
  const relay = async (e: ThreadMessage, client: App['client']): Promise<void> => {
    const ticket = await d.ports.support.forThread(e.channel, e.thread_ts);
    if (!ticket) return;
    const ephemeral = (text: string) => client.chat.postEphemeral({ channel: e.channel, user: e.user, thread_ts: e.thread_ts, text }).catch((err: Error) => d.log.warn({ err: err.message }, 'slack: ephemeral note failed'));
    if (!authorize(e.user, d.access)) {
      d.log.warn({ user: e.user, ticket: ticket.ticket }, 'slack: a reply from someone not on the support team was not relayed');
      await d.ports.support.refused(e.user, 'thread-reply', ticket.ticketId);
      await ephemeral(REPLY_NOT_RELAYED);
      return;
    }
    const text = await slackToPlain(e.text ?? '', (id) => nameOf(client, id));
    if (e.subtype === 'file_share') await ephemeral(FILES_NOT_RELAYED);
    if (!text) return;
    failpoint('slack.relay.before');
    const r = await d.ports.support.agentReply({ ticketId: ticket.ticketId, agentId: e.user, agentName: await nameOf(client, e.user), text, messageKey: `${e.channel}:${e.ts}` });
    failpoint('slack.relay.after');
    if (r === 'closed') await ephemeral(replyToClosed(ticket.ticket));
    else if (r === 'relayed') d.log.info({ ticket: ticket.ticket, agent: e.user }, 'slack: agent reply relayed to the chat');
  };

  app.event('message', async ({ event, body, client }) => {
    const e = event as MessageEvent;
    if (e.bot_id || (e.subtype !== undefined && e.subtype !== 'thread_broadcast' && e.subtype !== 'file_share')) return;
    if (!e.channel || !e.ts || !e.thread_ts || e.thread_ts === e.ts || !e.user) return;
    const eventId = String((body as { event_id?: unknown }).event_id ?? `${e.channel}:${e.ts}`);
    const key = `slack:event:${eventId}`;
    // Held while handled, remembered for a week once done; released when handling fails, so the
    // redelivery (the receiver answers Slack only after this) tries again.
    if (!(await d.ports.store.claimOnce(key, EVENT_LEASE_MS))) {
      if ((await d.ports.store.get(key)) !== 'done') throw new EventInFlightError(eventId);
      d.log.debug({ eventId }, 'slack: event seen before; skipped');
      return;
    }
    try {
      await relay({ ...e, channel: e.channel, ts: e.ts, thread_ts: e.thread_ts, user: e.user }, client);
    } catch (err) {
      await d.ports.store.del(key).catch(() => undefined);
      throw err;
    }
    await d.ports.store.set(key, 'done', EVENT_DEDUP_MS);
  });
}
