import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { Logger } from '../../lib/logger.js';
import { authorize, type SlackAccess } from './authorize.js';
import { lookupMessage, NOT_SUPPORT, TICKET_ACTIONS } from './messages.js';
import type { SlackPorts } from './ports.js';

/** What the ticket buttons need. */
export interface ButtonDeps {
  ports: SlackPorts;
  access: SlackAccess;
  log: Logger;
  /** Asks the outbox poster for a pass now (the close notice should not wait for the next poll). */
  kick(): void;
}

/** An ephemeral answer to the person who pressed, leaving the message they pressed on as it is. */
function whisper(respond: RespondFn, text: string, blocks?: unknown[]) {
  return respond({ response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks: blocks as never } : {}) });
}

/**
 * The buttons on a ticket's thread root. [Close] closes the ticket once (a second press, or a
 * double click, is told it is closed already), tells the chat and hands it back to the bot;
 * [Look up] shows the pressing agent the cardholder as they are now. Both ack at once (Slack
 * allows 3 s) and are refused, audited, for anyone not on the support team.
 */
export function registerTicketButtons(app: App, d: ButtonDeps): void {
  const guard = async (body: BlockAction, respond: RespondFn, action: string, ticketId: string): Promise<boolean> => {
    if (authorize(body.user.id, d.access)) return true;
    d.log.warn({ user: body.user.id, action }, 'slack: a button press by someone not on the support team was refused');
    await d.ports.support.refused(body.user.id, action, ticketId);
    await whisper(respond, NOT_SUPPORT);
    return false;
  };

  app.action<BlockAction<ButtonAction>>(TICKET_ACTIONS.close, async ({ ack, body, action, respond }) => {
    await ack();
    const ticketId = action.value ?? '';
    if (!(await guard(body, respond, 'close', ticketId))) return;
    const r = await d.ports.support.closeBySlack(ticketId, body.user.id);
    if (!r.closed) await whisper(respond, `${r.ticket} is already closed.`);
    d.kick();
  });

  app.action<BlockAction<ButtonAction>>(TICKET_ACTIONS.lookup, async ({ ack, body, action, respond }) => {
    await ack();
    const ticketId = action.value ?? '';
    if (!(await guard(body, respond, 'lookup', ticketId))) return;
    const ctx = await d.ports.support.context(ticketId);
    if (!ctx) {
      await whisper(respond, 'That ticket is not known any more.');
      return;
    }
    const m = lookupMessage(ctx as Parameters<typeof lookupMessage>[0]);
    await whisper(respond, m.text, m.blocks);
  });
}
