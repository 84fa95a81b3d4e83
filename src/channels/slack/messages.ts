/**
 * Every Slack message the hand-off and the alerts post, as Block Kit (English: the support team's
 * language). Text the cardholder or a member record supplies goes in `plain_text` or is escaped,
 * so nobody can inject mentions, links or formatting into the channel. Sizes stay inside Slack's
 * limits (tests check every payload with checkBlockLimits).
 */

type Block = Record<string, unknown>;
/** A message to post: fallback text (notifications, screen readers) and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Action ids of the buttons on a ticket's thread root (handled in buttons.ts). */
export const TICKET_ACTIONS = { close: 'support.close', lookup: 'support.lookup' } as const;
/** The [Unlock log-in] button of a log-in-locked alert: the desk half handles it (value: member id). */
export const UNLOCK_LOGIN_ACTION = 'desk.unlock-login';

const SECTION_MAX = 2900;

/** Escapes text for mrkdwn: `&`, `<`, `>` are Slack's control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max = SECTION_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const md = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: cut(text) } });
const plain = (text: string): Block => ({ type: 'section', text: { type: 'plain_text', text: cut(text), emoji: false } });
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(text) }] });
const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: cut(text, 150), emoji: true } });
const btn = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Block => ({ type: 'button', text: { type: 'plain_text', text, emoji: false }, action_id: actionId, value, ...(style ? { style } : {}) });

/** What a ticket's root (and [Look up]) reads of the context the support service wrote. */
interface TicketView {
  ticketId: string;
  ticket: string;
  summary: string;
  channel: string;
  from: string;
  openedAt: string;
  closedBy?: string;
  member: null | {
    username: string;
    status: string;
    language: string;
    loginLocked: boolean;
    cards: { last4: string; currency: string; state: string; balance: string }[];
    movements: { at: string; last4: string; kind: string; amount: string }[];
    alerts: { kind: string; at: string }[];
  };
}

function memberBlocks(t: TicketView): Block[] {
  const m = t.member;
  const fields = [
    `*Cardholder*\n${m ? esc(m.username) : 'Guest (not logged in)'}`,
    `*Chat*\n${esc(t.channel)}`,
    `*Was in*\n${esc(t.from)}`,
    `*Opened*\n${esc(t.openedAt)}`,
    ...(m ? [`*Account*\n${esc(m.status)} · ${esc(m.language)}`, `*Log-in*\n${m.loginLocked ? ':lock: locked' : 'not locked'}`] : []),
  ];
  const blocks: Block[] = [{ type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) }];
  if (!m) return blocks;
  const cards = m.cards.map((c) => `•••• ${esc(c.last4)} · ${esc(c.currency)} · ${esc(c.state)} · ${esc(c.balance)}`);
  blocks.push(md(`*Cards*\n${cards.join('\n') || 'none'}`));
  const moves = m.movements.map((x) => `${esc(x.at)} · •••• ${esc(x.last4)} · ${esc(x.kind)} · ${esc(x.amount)}`);
  blocks.push(md(`*Last movements*\n${moves.join('\n') || 'none'}`));
  if (m.alerts.length) blocks.push(md(`*Recent alerts*\n${m.alerts.map((a) => `${esc(a.kind)} · ${esc(a.at)}`).join('\n')}`));
  return blocks;
}

/** Who closed a ticket, as the channel says it. */
function closer(by: string | undefined): string {
  if (!by || by === 'cardholder') return 'the cardholder';
  if (by.startsWith('slack:')) return `<@${by.slice(6)}>`;
  return 'the assistant';
}

/** The root of a ticket's thread: summary, the member's context, [Look up] and [Close] (none once closed). */
export function ticketRoot(t: TicketView): SlackMessage {
  const closed = t.closedBy !== undefined;
  const blocks: Block[] = [header(`${closed ? ':white_check_mark:' : ':speech_balloon:'} ${t.ticket} — ${closed ? 'closed' : 'a cardholder asks for help'}`), plain(t.summary || '(no summary)'), ...memberBlocks(t)];
  if (closed) blocks.push(context(`Closed by ${closer(t.closedBy)}. The assistant answers the chat again.`));
  else {
    const buttons = [...(t.member ? [btn('Look up', TICKET_ACTIONS.lookup, t.ticketId)] : []), btn('Close', TICKET_ACTIONS.close, t.ticketId, 'danger')];
    blocks.push({ type: 'actions', block_id: 'ticket', elements: buttons });
    blocks.push(context('Reply in this thread to answer: your replies reach the cardholder\'s chat, and theirs come here. Never ask for a password, PIN, code or card number.'));
  }
  // The fallback text is mrkdwn too (notifications): escaped, so a summary cannot mention @channel.
  return { text: `${t.ticket}: ${esc(cut(t.summary, 200))}`, blocks };
}

/** [Look up]: the ticket's member as they are now, for the agent who asked. */
export function lookupMessage(t: TicketView): SlackMessage {
  return { text: `${t.ticket}: the cardholder now`, blocks: [header(`:mag: ${t.ticket} — the cardholder now`), ...memberBlocks(t)] };
}

/** A cardholder's message in the thread (their text as plain text, split at Slack's section limit). */
export function relayMessage(d: { ticket?: unknown; text?: unknown }): SlackMessage {
  const text = String(d.text ?? '');
  const parts: Block[] = [];
  for (let i = 0; i < text.length && parts.length < 10; i += SECTION_MAX) parts.push(plain(text.slice(i, i + SECTION_MAX)));
  return { text: `Cardholder: ${esc(cut(text, 300))}`, blocks: [context(`:bust_in_silhouette: *Cardholder* · ${esc(String(d.ticket ?? ''))}`), ...parts] };
}

/** No agent has answered for a while. */
export function reminderMessage(d: { ticket?: unknown; minutes?: unknown }): SlackMessage {
  const text = `:alarm_clock: No reply for ${Number(d.minutes)} minutes: the cardholder of ${String(d.ticket)} is waiting. Reply in this thread, or press Close.`;
  return { text, blocks: [md(text)] };
}

/** The ticket was closed (by whom); the bot has the chat again. */
export function closedMessage(d: { ticket?: unknown; by?: unknown }): SlackMessage {
  const text = `:white_check_mark: ${esc(String(d.ticket))} closed by ${closer(typeof d.by === 'string' ? d.by : undefined)}. The cardholder was told; the assistant answers their chat again.`;
  return { text, blocks: [md(text)] };
}

/** An agent's reply never reached the chat. */
export function undeliveredMessage(d: { ticket?: unknown; reason?: unknown }): SlackMessage {
  const text = `:warning: The reply above did not reach the cardholder of ${esc(String(d.ticket))} (${esc(String(d.reason ?? 'refused'))}). They may have blocked the bot or left the chat; the ticket stays open.`;
  return { text, blocks: [md(text)] };
}

/** Said (ephemerally) to someone who is not on the support team. */
export const NOT_SUPPORT = 'Only the OMNIPAY support team can do this. Your attempt was recorded.';
/** Said (ephemerally) to someone not on the support team who replied in a ticket's thread. */
export const REPLY_NOT_RELAYED = 'You are not on the OMNIPAY support team, so your reply was not sent to the cardholder. Your attempt was recorded.';
/** Said (ephemerally) to an agent who replied in a closed ticket's thread. */
export function replyToClosed(ticket: string): string {
  return `${ticket} is closed, so your reply was not sent. The cardholder can open a new conversation with /support.`;
}
/** Said (ephemerally) when files are shared in a ticket's thread. */
export const FILES_NOT_RELAYED = 'Files are not passed on to the cardholder; only the text of a reply is.';

/** What an alert post reads of the data the outbox wrote (see the support service's AlertPostData). */
interface AlertView {
  kind: string;
  at: string;
  memberId?: string;
  username?: string;
  last4?: string;
  details: Record<string, string | number | boolean | null>;
}

const ALERTS: Record<string, { icon: string; title: string; line: (a: AlertView, d: (k: string) => string) => string }> = {
  'login-lockout': { icon: ':lock:', title: 'Log-in locked', line: (a, d) => `${who(a)}: ${d('failures')} failed log-ins in a row; locked for ${d('minutes')} minutes.` },
  'pin-lock': { icon: ':key:', title: 'PIN locked', line: (a, d) => `${who(a)}: card •••• ${esc(a.last4 ?? d('last4'))} after ${d('failures')} wrong PINs. Support resets it.` },
  'large-charge': { icon: ':moneybag:', title: 'Large charge', line: (a, d) => `${who(a)} charged ${d('amount')} (paid ${d('paid')}) onto •••• ${esc(a.last4 ?? '????')}, reference ${d('reference')}: over ${d('over')}.` },
  'mail-undeliverable': { icon: ':envelope:', title: 'E-mail undeliverable', line: (_a, d) => `The ${d('template')} e-mail could not be sent after ${d('attempts')} attempts: ${d('error')}.` },
  'stale-rate': { icon: ':chart_with_downwards_trend:', title: 'FX rate stale', line: (_a, d) => `No ${d('pair')} rate newer than ${d('maxAgeHours')} hours: charges in that pair are refused until one is set (/omnipay rates set).` },
  'refund-waiting': { icon: ':hourglass_flowing_sand:', title: 'Refund waiting for approval', line: (a, d) => `${who(a)}: ${d('amount')} (${d('reason')}) waits for a second support person to approve.` },
  'reversal-waiting': { icon: ':hourglass_flowing_sand:', title: 'Reversal waiting for approval', line: (a, d) => `${who(a)}: ${d('amount')} (${d('reason')}) waits for a second support person to approve.` },
  'notice-undeliverable': { icon: ':no_bell:', title: 'Chat message undeliverable', line: (a, d) => `${who(a)}: the ${d('notice')} message could not be delivered (${d('reason')}).` },
};

function who(a: AlertView): string {
  return a.username ? `*${esc(a.username)}*` : 'A cardholder';
}

/** An alert from the Alert table; a log-in lock carries [Unlock log-in] (handled by the desk half). */
export function alertMessage(a: AlertView): SlackMessage {
  const d = (k: string) => esc(String(a.details[k] ?? '?'));
  const known = ALERTS[a.kind];
  const title = known?.title ?? `Alert: ${a.kind}`;
  const line = known ? known.line(a, d) : Object.entries(a.details).map(([k, v]) => `${esc(k)}: ${esc(String(v))}`).join(' · ') || 'no details';
  const blocks: Block[] = [md(`${known?.icon ?? ':warning:'} *${esc(title)}*\n${line}`)];
  if (a.kind === 'login-lockout' && a.memberId) blocks.push({ type: 'actions', block_id: 'alert', elements: [btn('Unlock log-in', UNLOCK_LOGIN_ACTION, a.memberId, 'primary')] });
  blocks.push(context(`Alert · ${esc(a.at)}${a.username ? ` · ${esc(a.username)}` : ''}`));
  return { text: `${esc(title)}${a.username ? `: ${esc(a.username)}` : ''}`, blocks };
}

/** The message of an outbox post by its kind. */
export function render(kind: string, data: Record<string, unknown>): SlackMessage {
  switch (kind) {
    case 'alert':
      return alertMessage({ details: {}, ...(data as Partial<AlertView>), kind: String(data.kind), at: String(data.at) });
    case 'ticket':
    case 'ticket-closed':
      return ticketRoot(data as unknown as TicketView);
    case 'relay':
      return relayMessage(data);
    case 'reminder':
      return reminderMessage(data);
    case 'closed':
      return closedMessage(data);
    case 'undelivered':
      return undeliveredMessage(data);
    default:
      throw new Error(`no Slack message for outbox posts of kind "${kind}"`);
  }
}
