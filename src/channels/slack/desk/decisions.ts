import { answer, slackError, type Desk, type Press } from './context.js';
import type { DeskApproval, DeskDecision } from './ports.js';
import { approvalMessage } from './render/approval.js';
import { esc, note, when, who } from './render/blocks.js';
import { NO_SECOND_PERSON, refusalMessage } from './render/reports.js';

/** What the person who pressed Approve / Reject is told. */
function told(r: Exclude<DeskDecision, { outcome: 'not-found' }>, zone: string): string {
  const q = r.request;
  switch (r.outcome) {
    case 'approved':
      return `:white_check_mark: Approved. ${esc(r.note)} ${q.username} is told in the chat.`;
    case 'failed':
      return `:warning: Approved, but it could not be carried out: ${esc(r.note)}`;
    case 'not-covered':
      return esc(r.note);
    case 'rejected':
      return 'Rejected; nothing moved.';
    case 'expired':
      return `This request expired on ${when(q.expiresAt, zone)} unapproved; nothing moved. Ask again if it is still wanted.`;
    case 'already':
      return already(q, zone);
    case 'own-request':
      return 'You asked for this one: a different support user must approve or reject it.';
    case 'no-second-person':
      return `:warning: ${NO_SECOND_PERSON}`;
    case 'not-approver':
      return refusalMessage().text;
  }
}

function already(q: DeskApproval, zone: string): string {
  if (q.status === 'expired') return `This request expired on ${when(q.expiresAt, zone)}; nothing more was done.`;
  return `This request was ${q.status} already${q.decidedBy ? ` by ${who(q.decidedBy, q.decidedByName)}` : ''}; nothing more was done.`;
}

/**
 * Approve / Reject: the service decides (one decision, never by the requester, amount and balance
 * checked again), then the message in the channel is updated to where the request stands (no
 * buttons once decided), and the person who pressed is told what happened.
 */
export async function decide(d: Desk, p: Press, decision: 'approve' | 'reject'): Promise<void> {
  const r = await d.ports.approvals.decide(p.actor, p.value, decision);
  if (r.outcome === 'not-found') return answer(d, p.to, note('That request no longer exists.'));
  const settled = r.outcome === 'approved' || r.outcome === 'failed' || r.outcome === 'rejected' || r.outcome === 'expired' || r.outcome === 'already';
  const channel = p.body.channel?.id ?? r.request.channel;
  const ts = p.body.message?.ts ?? r.request.messageTs;
  if (settled && channel && ts) {
    const msg = approvalMessage(r.request, d.zone);
    try {
      await p.client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks });
    } catch (err) {
      d.log.warn({ err: slackError(err), request: r.request.id }, 'slack desk: could not update the request message');
      await answer(d, p.to, note(`The request's message could not be updated (Slack said \`${slackError(err)}\`); it is ${r.request.status}.`));
    }
  }
  await answer(d, p.to, note(told(r, d.zone)));
}
