import type { App, ViewOutput, ViewResponseAction } from '@slack/bolt';
import { postApproval, showResult } from './buttons.js';
import { sendHistory } from './command.js';
import { actorOf, afterAck, answer, responder, type Answer, type Desk } from './context.js';
import { INPUT, VIEW } from './ids.js';
import type { DeskActionKind, DeskActor } from './ports.js';
import { note, section } from './render/blocks.js';
import { askedModal, readMetadata, type ModalContext } from './render/modals.js';
import { periodProblem, refusalMessage } from './render/reports.js';

/** A text input's value in a submitted modal ('' when empty or absent). */
function valueOf(view: ViewOutput, blockId: string): string {
  return view.state.values[blockId]?.value?.value ?? '';
}

/** The history input at fault: one not written mm/dd/yyyy, the impossible day, else the end for order and length. */
function faultyField(d: Desk, code: string, from: string, until: string): string {
  const looks = (s: string) => /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(s);
  if (!looks(from)) return INPUT.from;
  if (!looks(until)) return INPUT.to;
  if (code === 'HISTORY.IMPOSSIBLE_DATE') {
    const alone = d.ports.reports.checkPeriod(from, from);
    return !alone.ok && alone.code === 'HISTORY.IMPOSSIBLE_DATE' ? INPUT.from : INPUT.to;
  }
  return code === 'HISTORY.FUTURE' ? INPUT.from : INPUT.to;
}

/** A modal in place of the submitted one, saying one thing. */
function saying(title: string, text: string): ViewResponseAction {
  return { response_action: 'update', view: { type: 'modal', title: { type: 'plain_text', text: title }, close: { type: 'plain_text', text: 'Close' }, blocks: [section(text)] } };
}

/** Where a modal's outcome is told: the message the modal was opened from, else the channel, else a DM. */
function answerTo(c: ModalContext, client: Answer['client'], user: string): Answer {
  const respond = responder(c.responseUrl);
  return { client, user, ...(respond ? { respond } : {}), ...(c.channel ? { channel: c.channel } : {}) };
}

/** One modal submission, as a handler sees it. */
interface Submission {
  desk: Desk;
  actor: DeskActor;
  view: ViewOutput;
  context: ModalContext;
  client: Answer['client'];
  ack: (r?: ViewResponseAction) => Promise<void>;
}

/** Registers one modal: strangers and stale forms are refused (audited) before anything else. */
function onSubmit(app: App, desk: Desk, callbackId: string, kinds: readonly string[], handler: (s: Submission) => Promise<void>): void {
  app.view(callbackId, async ({ ack, body, view, client }) => {
    const actor = actorOf(body);
    const context = readMetadata(view.private_metadata);
    if (!desk.access.role(actor.userId)) {
      await ack(saying('OMNIPAY', refusalMessage().text));
      await desk.ports.actions.refused(actor, `modal ${callbackId}`, 'not a support user');
      return;
    }
    if (!context || !kinds.includes(context.kind)) return ack(saying('OMNIPAY', 'This form is out of date: close it and press the button again.'));
    await handler({ desk, actor, view, context, client, ack: (r) => ack(r) });
  });
}

/** Registers the desk's modals: a reason then an unlocking action, a refund / reversal request, a history export. */
export function registerViews(app: App, desk: Desk): void {
  onSubmit(app, desk, VIEW.confirm, ['unlock-login', 'reset-pin-lock'], async ({ desk: d, actor, view, context, client, ack }) => {
    const reason = valueOf(view, INPUT.reason).trim();
    if (!reason) return ack({ response_action: 'errors', errors: { [INPUT.reason]: 'Give a reason: the audit log keeps it.' } });
    if (reason.length > 500) return ack({ response_action: 'errors', errors: { [INPUT.reason]: 'Keep the reason under 500 characters.' } });
    await ack();
    const to = answerTo(context, client, actor.userId);
    const kind = context.kind as DeskActionKind;
    await afterAck(d, to, kind === 'unlock-login' ? 'Unlock log-in' : 'Reset PIN lock', async () => {
      const r = await d.ports.actions.run(actor, kind, context.target, reason);
      const done = kind === 'unlock-login' ? 'Log-in unlocked: the cardholder can log in again.' : `PIN lock reset on card •••• ${'last4' in r ? r.last4 : ''}.`;
      const unchanged = kind === 'unlock-login' ? 'The log-in was not locked; the failure count is cleared.' : 'The PIN was not locked.';
      await showResult(d, to, r, done, unchanged, context.replace === true);
    });
  });

  onSubmit(app, desk, VIEW.money, ['refund', 'reversal'], async ({ desk: d, actor, view, context, client, ack }) => {
    const kind = context.kind as 'refund' | 'reversal';
    // Checked before acking (a few reads and one insert), so a bad amount or reason is the field's error and nothing is made.
    const r = await d.ports.approvals.request(actor, { kind, targetId: context.target, amountText: valueOf(view, INPUT.amount), reason: valueOf(view, INPUT.reason) });
    if (!r.ok) return r.field ? ack({ response_action: 'errors', errors: { [r.field]: r.message } }) : ack(saying(kind === 'refund' ? 'Refund' : 'Reverse', r.message));
    await ack({ response_action: 'update', view: askedModal(r.request, d.ports.settings.supportChannel) });
    // A repeat of a submission already made its request (and posts it, or did).
    if (r.repeated) return;
    const to = answerTo(context, client, actor.userId);
    await afterAck(d, to, kind === 'refund' ? 'Refund' : 'Reverse', () => postApproval(d, to, r.request));
  });

  onSubmit(app, desk, VIEW.history, ['history'], async ({ desk: d, actor, view, context, client, ack }) => {
    const from = valueOf(view, INPUT.from).trim();
    const until = valueOf(view, INPUT.to).trim();
    const period = d.ports.reports.checkPeriod(from, until);
    if (!period.ok) return ack({ response_action: 'errors', errors: { [faultyField(d, period.code, from, until)]: `${periodProblem(period.code, period.vars)} Use mm/dd/yyyy, e.g. 11/01/2026.` } });
    await ack();
    const to = answerTo(context, client, actor.userId);
    await afterAck(d, to, 'History', async () => {
      const member = await d.ports.lookup.member(context.target);
      if (!member) return answer(d, to, note('That cardholder no longer exists.'));
      await sendHistory(d, to, actor, member, period.from, period.to, context.channel);
    });
  });
}
