import type { types } from '@slack/bolt';
import { ACTION } from '../ids.js';
import type { DeskApproval, DeskMoneyForm, DeskSubject } from '../ports.js';
import { actions, button, context, day, esc, message, money, section, when, who, type DeskMessage } from './blocks.js';
import { kindLabel } from './member.js';

/** What a request concerns, e.g. `purchase at Coffee Shop on 11/02/2026 (1,500 JPY)`. */
export function subjectLine(s: DeskSubject, currency: string, zone: string): string {
  const what = s.kind === 'charge' ? `charge ${esc(s.label ?? '')}` : `${midSentence(kindLabel(s.kind))}${s.label ? ` at ${esc(s.label)}` : ''}`;
  return `${what} on ${day(s.at, zone)} (${money(s.original, currency)})`;
}

/** A label inside a sentence: `Purchase` → `purchase`, but `ATM withdrawal` keeps its capitals. */
function midSentence(label: string): string {
  return label.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
}

/** The request's first line, e.g. `*Refund* of *1,500 JPY* to alice's card •••• 4242`. */
function title(r: Pick<DeskApproval, 'kind' | 'amount' | 'currency' | 'username' | 'last4'>): string {
  return r.kind === 'refund'
    ? `*Refund* of *${money(r.amount, r.currency)}* to ${esc(r.username)}'s card •••• ${r.last4}`
    : `*Reversal* of *${money(r.amount, r.currency)}* from ${esc(r.username)}'s card •••• ${r.last4}`;
}

/** Where a request stands, in one line. */
export function statusLine(r: DeskApproval, zone: string): string {
  switch (r.status) {
    case 'pending':
      return `Waits for a second support user until ${when(r.expiresAt, zone)}; the requester cannot approve it.`;
    case 'approved':
      return r.outcome === 'failed'
        ? `:warning: Approved by ${who(r.decidedBy!, r.decidedByName)}, but it could not be carried out: ${esc(r.outcomeNote ?? '')}`
        : `:white_check_mark: Approved by ${who(r.decidedBy!, r.decidedByName)}. ${esc(r.outcomeNote ?? 'Being carried out.')}`;
    case 'rejected':
      return `:x: Rejected by ${who(r.decidedBy!, r.decidedByName)}; nothing moved.`;
    case 'expired':
      return `Expired unapproved on ${when(r.expiresAt, zone)}; nothing moved.`;
    default:
      return r.status;
  }
}

/** The message in the support channel: the request, and Approve / Reject while it is pending. */
export function approvalMessage(r: DeskApproval, zone: string): DeskMessage {
  const blocks: types.KnownBlock[] = [
    section(`${title(r)}\nFor the ${subjectLine(r.subject, r.currency, zone)}\n*Reason:* ${esc(r.reason)}\nAsked by ${who(r.requestedBy, r.requestedByName)}`),
    context(statusLine(r, zone)),
    ...(r.status === 'pending' ? actions(`approval-${r.id}`, [button('Approve', ACTION.approve, r.id, 'primary'), button('Reject', ACTION.reject, r.id, 'danger')]) : []),
  ];
  const plain = `${r.kind === 'refund' ? 'Refund' : 'Reversal'} of ${money(r.amount, r.currency)} for ${r.username} (${r.status})`;
  return message(plain, blocks);
}

/** Told to the requester when the request could not be posted in the support channel (it is kept). */
export function unpostedMessage(r: DeskApproval, channel: string, error: string): DeskMessage {
  const text = `Your ${r.kind} request of ${money(r.amount, r.currency)} for ${esc(r.username)} is saved, but it could not be posted in <#${channel}> for approval (Slack said \`${esc(error)}\`${error === 'not_in_channel' ? ': invite the app to the channel' : error === 'channel_not_found' ? ': check SLACK_SUPPORT_CHANNEL' : ''}).`;
  return message(text, [section(text), ...actions(`repost-${r.id}`, [button('Post again', ACTION.repost, r.id, 'primary')])]);
}

/** The form of a refund or reversal, for the modal's top. */
export function formLines(f: DeskMoneyForm, zone: string): string {
  const what = f.kind === 'refund' ? `Refund to ${esc(f.username)}'s card •••• ${f.last4}` : `Reverse from ${esc(f.username)}'s card •••• ${f.last4}`;
  const limits = f.kind === 'refund'
    ? `Left to refund: *${money(f.left, f.currency)}*`
    : `Left to reverse: *${money(f.left, f.currency)}* · card balance: *${money(f.balance ?? 0n, f.currency)}* · at most *${money(f.max, f.currency)}*`;
  return `${what}\nThe ${subjectLine(f.subject, f.currency, zone)}\n${limits}\nA second support user approves it in the support channel.`;
}
