import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import { actorOf, afterAck, answer, slackError, type Answer, type Desk, type Press } from './context.js';
import { ACTION } from './ids.js';
import type { DeskActionKind, DeskActionResult, DeskMoneyKind } from './ports.js';
import { approvalMessage, unpostedMessage } from './render/approval.js';
import { note, when, type DeskMessage } from './render/blocks.js';
import { defaultPeriod, memberMessage } from './render/member.js';
import { confirmModal, historyModal, moneyModal, type ModalContext } from './render/modals.js';
import { NO_SECOND_PERSON, refusalMessage } from './render/reports.js';
import { decide } from './decisions.js';

type PressHandler = (desk: Desk, p: Press) => Promise<void>;

/** Registers one button: ack at once, refuse strangers (audited), run the handler after the ack. */
function onPress(app: App, desk: Desk, actionId: string, label: string, handler: PressHandler): void {
  app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, client }) => {
    await ack();
    const actor = actorOf(body);
    const container = (body as { container?: { is_ephemeral?: boolean; thread_ts?: string } }).container;
    const to: Answer = { respond, client, user: actor.userId, ...(body.channel?.id ? { channel: body.channel.id } : {}), ...(container?.thread_ts ? { threadTs: container.thread_ts } : {}) };
    if (!desk.access.role(actor.userId)) {
      // Audited before the answer, so whoever reads the answer finds the attempt recorded.
      await desk.ports.actions.refused(actor, `${label} ${action.value ?? ''}`.trim(), 'not a support user');
      await answer(desk, { ...to, respond: (m) => respond({ ...m, replace_original: false }) }, refusalMessage());
      return;
    }
    await afterAck(desk, to, label, () => handler(desk, { actor, value: action.value ?? '', body, client, to, ephemeral: container?.is_ephemeral === true }));
  });
}

/** What the person is told after an action that acted at once, on the member's page when it applies. */
export async function showResult(desk: Desk, to: Answer, r: DeskActionResult, done: string, unchanged: string, replace: boolean): Promise<void> {
  if (r.outcome === 'not-found') return answer(desk, to, note('That cardholder or card no longer exists.'));
  const line =
    r.outcome === 'done' ? `:white_check_mark: ${done}`
      : r.outcome === 'unchanged' ? unchanged
        : r.outcome === 'repeated' ? 'This request was handled already; nothing more was done.'
          : `Refused: ${'why' in r ? r.why : 'not allowed'}.`;
  const member = r.memberId ? await desk.ports.lookup.member(r.memberId) : null;
  await answer(desk, to, member ? memberMessage(member, desk.zone, line) : note(line), { replace });
}

const AT_ONCE: { action: string; kind: DeskActionKind; label: string; done: (l?: string) => string; unchanged: string }[] = [
  { action: ACTION.freeze, kind: 'freeze', label: 'Freeze', done: (l) => `Card •••• ${l} frozen by support.`, unchanged: 'The card was frozen by support already.' },
  { action: ACTION.unfreeze, kind: 'unfreeze', label: 'Unfreeze', done: (l) => `Card •••• ${l} unfrozen.`, unchanged: 'The card was not frozen.' },
  { action: ACTION.resendActivation, kind: 'resend-activation', label: 'Resend activation', done: () => 'A new activation e-mail is on its way (earlier codes no longer work).', unchanged: 'The member is no longer waiting for activation; no e-mail sent.' },
];

/** Registers every button of the desk. */
export function registerButtons(app: App, desk: Desk): void {
  for (const a of AT_ONCE) {
    onPress(app, desk, a.action, a.label, async (d, p) => {
      const r = await d.ports.actions.run(p.actor, a.kind, p.value);
      await showResult(d, p.to, r, a.done(r.outcome === 'done' || r.outcome === 'unchanged' ? r.last4 : undefined), a.unchanged, p.ephemeral);
    });
  }
  onPress(app, desk, ACTION.pick, 'Look-up', async (d, p) => {
    const member = await d.ports.lookup.member(p.value);
    if (!member) return answer(d, p.to, note('That cardholder no longer exists.'));
    await d.ports.reports.audited(p.actor, { action: 'desk.lookup', target: member.id, memberId: member.id, details: { via: 'slack', field: 'pick' } });
    await answer(d, p.to, memberMessage(member, d.zone), { replace: p.ephemeral });
  });
  onPress(app, desk, ACTION.unlockLogin, 'Unlock log-in', async (d, p) => {
    const member = await d.ports.lookup.member(p.value);
    if (!member) return answer(d, p.to, note('That cardholder no longer exists.'));
    const lock = member.loginLockedUntil ? `locked until ${when(member.loginLockedUntil, d.zone)}` : 'not locked now';
    await openModal(d, p, confirmModal(context(p, 'unlock-login'), `Unlock the log-in of *${member.username}* (${lock}${member.failedLogins > 0 ? `; ${member.failedLogins} failed tries` : ''})?`));
  });
  onPress(app, desk, ACTION.resetPinLock, 'Reset PIN lock', async (d, p) => {
    const card = await d.ports.lookup.cardOwner(p.value);
    if (!card) return answer(d, p.to, note('That card no longer exists.'));
    await openModal(d, p, confirmModal(context(p, 'reset-pin-lock'), `Reset the PIN lock of *${card.username}*'s card •••• ${card.last4}? The PIN stays as it is.`));
  });
  for (const [action, kind] of [[ACTION.refund, 'refund'], [ACTION.reverse, 'reversal']] as const) {
    onPress(app, desk, action, kind === 'refund' ? 'Refund' : 'Reverse', async (d, p) => moneyPress(d, p, kind));
  }
  onPress(app, desk, ACTION.history, 'History', async (d, p) => {
    const member = await d.ports.lookup.member(p.value);
    if (!member) return answer(d, p.to, note('That cardholder no longer exists.'));
    await openModal(d, p, historyModal(context(p, 'history'), member.username, defaultPeriod(new Date(), d.zone)));
  });
  onPress(app, desk, ACTION.approve, 'Approve', (d, p) => decide(d, p, 'approve'));
  onPress(app, desk, ACTION.reject, 'Reject', (d, p) => decide(d, p, 'reject'));
  onPress(app, desk, ACTION.repost, 'Post again', async (d, p) => {
    const r = await d.ports.approvals.get(p.value);
    if (!r) return answer(d, p.to, note('That request no longer exists.'));
    if (r.messageTs) return answer(d, p.to, note('That request is posted already.'));
    await postApproval(d, p.to, r, true);
  });
}

async function moneyPress(d: Desk, p: Press, kind: DeskMoneyKind): Promise<void> {
  if (!d.ports.approvals.canApprove) return answer(d, p.to, note(`:warning: ${NO_SECOND_PERSON}`));
  const form = await d.ports.approvals.form(kind, p.value);
  if (!form) return answer(d, p.to, note(kind === 'refund' ? 'Nothing is left to refund on this one.' : 'This charge cannot be reversed now: nothing is left to reverse, or the card holds nothing.'));
  await openModal(d, p, moneyModal(context(p, kind), form, d.zone));
}

function context(p: Press, kind: string): ModalContext {
  return { kind, target: p.value, ...(p.body.response_url ? { responseUrl: p.body.response_url } : {}), ...(p.to.channel ? { channel: p.to.channel } : {}), ...(p.ephemeral ? { replace: true } : {}) };
}

async function openModal(d: Desk, p: Press, view: Parameters<webApi.WebClient['views']['open']>[0]['view']): Promise<void> {
  try {
    await p.client.views.open({ trigger_id: p.body.trigger_id, view });
  } catch (err) {
    // The trigger lives 3 s; Slack says expired_trigger_id when the press waited too long.
    await answer(d, p.to, note(`The form could not be opened (Slack said \`${slackError(err)}\`); press the button again.`));
  }
}

/**
 * Posts a request in the support channel with Approve / Reject and notes where. When Slack refuses
 * (`channel_not_found`, `not_in_channel` …) the requester is told why, with a button to post it
 * again; the request itself is kept. `ratelimited` is waited out and retried by the Web API client.
 */
export async function postApproval(d: Desk, to: Answer, r: Parameters<typeof approvalMessage>[0], again = false): Promise<void> {
  const channel = d.ports.settings.supportChannel;
  if (!channel) return answer(d, to, note('SLACK_SUPPORT_CHANNEL is not set, so the request cannot wait anywhere for approval; it is saved.'));
  const msg: DeskMessage = approvalMessage(r, d.zone);
  try {
    const res = await to.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks });
    await d.ports.approvals.setMessage(r.id, res.channel ?? channel, res.ts!);
    if (again) await answer(d, to, note(`Posted in <#${channel}>; it waits there for approval.`), { replace: true });
  } catch (err) {
    d.log.warn({ err: slackError(err), request: r.id, channel }, 'slack desk: could not post a request for approval');
    await answer(d, to, unpostedMessage(r, channel, slackError(err)));
  }
}
