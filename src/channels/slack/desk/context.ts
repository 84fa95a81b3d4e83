import type { BlockButtonAction, RespondArguments, webApi } from '@slack/bolt';
import type { Logger } from '../../../lib/logger.js';
import { DeskAccess } from './access.js';
import type { DeskActor, DeskPorts } from './ports.js';
import type { DeskMessage } from './render/blocks.js';

/** Everything the desk's listeners share. */
export interface Desk {
  ports: DeskPorts;
  access: DeskAccess;
  log: Logger;
  zone: string;
}

/** Builds the shared state of the desk's listeners. */
export function makeDesk(ports: DeskPorts): Desk {
  return { ports, access: new DeskAccess(ports.settings), log: ports.log.child({ part: 'slack-desk' }), zone: ports.settings.timeZone };
}

/** The Slack error string of a failed Web API call (`channel_not_found`, `not_in_channel` …), else its message. */
export function slackError(err: unknown): string {
  return (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
}

/**
 * The person and request of a Slack body. The request id is what a repeat of the same request
 * carries again: a modal's view id (one modal, one effect), else the interaction's trigger id.
 */
export function actorOf(body: { user_id?: string; user_name?: string; user?: { id: string; name?: string; username?: string }; trigger_id?: string; view?: { id: string }; type?: string }): DeskActor {
  const userId = body.user?.id ?? body.user_id ?? '';
  const name = body.user?.name ?? body.user?.username ?? body.user_name ?? userId;
  const requestId = body.type === 'view_submission' && body.view ? `view:${body.view.id}` : `${body.type === 'block_actions' ? 'action' : 'command'}:${body.trigger_id ?? ''}`;
  return { userId, name, requestId };
}

/** Where to answer a person, best first: the response URL, an ephemeral message in the channel, a DM. */
export interface Answer {
  respond?: (m: RespondArguments) => Promise<unknown>;
  client: webApi.WebClient;
  user: string;
  channel?: string;
  threadTs?: string;
}

/**
 * Answers the person, never silently: when the response URL fails (expired, or Slack refuses) it
 * falls back to an ephemeral message, then to a direct message, and logs what failed.
 */
export async function answer(desk: Desk, to: Answer, msg: DeskMessage, o: { replace?: boolean } = {}): Promise<void> {
  if (to.respond) {
    try {
      await to.respond({ response_type: 'ephemeral', replace_original: o.replace ?? false, text: msg.text, blocks: msg.blocks });
      return;
    } catch (err) {
      desk.log.warn({ err: slackError(err) }, 'slack desk: response_url failed; answering another way');
    }
  }
  if (to.channel) {
    try {
      await to.client.chat.postEphemeral({ channel: to.channel, user: to.user, text: msg.text, blocks: msg.blocks, ...(to.threadTs ? { thread_ts: to.threadTs } : {}) });
      return;
    } catch (err) {
      desk.log.warn({ err: slackError(err), channel: to.channel }, 'slack desk: ephemeral answer failed; sending a direct message');
    }
  }
  try {
    await to.client.chat.postMessage({ channel: to.user, text: msg.text, blocks: msg.blocks });
  } catch (err) {
    desk.log.error({ err: slackError(err), user: to.user }, 'slack desk: could not answer the support user at all');
  }
}

/** A `respond` for a response URL kept in a modal's metadata (Bolt gives modals none). */
export function responder(url: string | undefined): Answer['respond'] {
  if (!url) return undefined;
  return async (m) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(m) });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  };
}

/** A button press: who, the button's value, where it happened. */
export interface Press {
  actor: DeskActor;
  value: string;
  body: BlockButtonAction;
  client: webApi.WebClient;
  to: Answer;
  /** The press was on an ephemeral message (a look-up): answers replace it. */
  ephemeral: boolean;
}

/** Runs the work after `ack()`; an error is logged and told to the person instead of vanishing. */
export async function afterAck(desk: Desk, to: Answer, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    desk.log.error({ err: (err as Error).message, what }, 'slack desk: request failed after ack');
    const text = `Something went wrong with ${what} (${slackError(err)}). Look the cardholder up again before trying once more, or tell the on-call engineer.`;
    await answer(desk, to, { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
  }
}
