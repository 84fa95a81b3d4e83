import type { types } from '@slack/bolt';
import { toDecimal } from '../../../../domain/money/index.js';
import { INPUT, VIEW } from '../ids.js';
import type { DeskApproval, DeskMoneyForm } from '../ports.js';
import { clip, esc, LIMIT, money, section } from './blocks.js';
import { formLines } from './approval.js';

/**
 * Where a modal's answer goes: what it acts on, and the message it was opened from (to update it,
 * or to answer the person there), carried in `private_metadata` (3,000 characters at most).
 */
export interface ModalContext {
  /** unlock-login | reset-pin-lock (confirm), refund | reversal (money), the member id (history). */
  kind: string;
  target: string;
  responseUrl?: string;
  channel?: string;
  /** The message it was opened from is a look-up (ephemeral): the answer replaces it. */
  replace?: boolean;
}

/** The modal's context as `private_metadata`. */
export function metadata(c: ModalContext): string {
  const s = JSON.stringify(c);
  // A response URL is ~100 characters; should one ever be absurdly long, drop it rather than break the modal.
  return s.length <= 3000 ? s : JSON.stringify({ kind: c.kind, target: c.target, ...(c.channel ? { channel: c.channel } : {}) });
}

/** Reads `private_metadata` back; null when it is not the desk's. */
export function readMetadata(raw: string | undefined): ModalContext | null {
  try {
    const v = JSON.parse(raw ?? '') as Partial<ModalContext>;
    return typeof v.kind === 'string' && typeof v.target === 'string' ? (v as ModalContext) : null;
  } catch {
    return null;
  }
}

function input(blockId: string, label: string, o: { multiline?: boolean; initial?: string; placeholder?: string; hint?: string; maxLength?: number } = {}): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      ...(o.multiline ? { multiline: true } : {}),
      ...(o.initial !== undefined ? { initial_value: o.initial } : {}),
      ...(o.placeholder ? { placeholder: { type: 'plain_text', text: o.placeholder } } : {}),
      ...(o.maxLength ? { max_length: o.maxLength } : {}),
    },
    ...(o.hint ? { hint: { type: 'plain_text', text: o.hint } } : {}),
  };
}

function modal(callbackId: string, title: string, blocks: types.KnownBlock[], o: { submit?: string; context?: ModalContext } = {}): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: clip(title, LIMIT.viewTitle) },
    close: { type: 'plain_text', text: o.submit ? 'Cancel' : 'Done' },
    ...(o.submit ? { submit: { type: 'plain_text', text: o.submit } } : {}),
    ...(o.context ? { private_metadata: metadata(o.context) } : {}),
    blocks,
  };
}

/** The reason asked before unlocking a log-in or resetting a PIN lock (they then act at once). */
export function confirmModal(c: ModalContext, what: string): types.ModalView {
  const title = c.kind === 'unlock-login' ? 'Unlock log-in' : 'Reset PIN lock';
  return modal(VIEW.confirm, title, [section(what), input(INPUT.reason, 'Reason', { multiline: true, maxLength: 500, placeholder: 'e.g. identity checked on the phone' })], { submit: c.kind === 'unlock-login' ? 'Unlock' : 'Reset', context: c });
}

/** Amount and reason of a refund or reversal; it then waits for a second support user. */
export function moneyModal(c: ModalContext, f: DeskMoneyForm, zone: string): types.ModalView {
  return modal(
    VIEW.money,
    f.kind === 'refund' ? 'Refund' : 'Reverse',
    [
      section(formLines(f, zone)),
      input(INPUT.amount, `Amount (${f.currency})`, { initial: toDecimal(f.max, f.currency), hint: `At most ${money(f.max, f.currency)}; less for a part.` }),
      input(INPUT.reason, 'Reason', { multiline: true, maxLength: 500, placeholder: 'e.g. the merchant confirmed the order was cancelled' }),
    ],
    { submit: 'Ask for approval', context: c },
  );
}

/** Shown once a request waits in the support channel. */
export function askedModal(r: DeskApproval, channel: string | undefined): types.ModalView {
  const where = channel ? `in <#${channel}>` : 'in the support channel';
  const what = `${r.kind === 'refund' ? 'Refund' : 'Reversal'} of *${money(r.amount, r.currency)}* for ${esc(r.username)}'s card •••• ${r.last4} asked. It waits ${where} for a second support user to approve it.`;
  return modal(VIEW.money, r.kind === 'refund' ? 'Refund asked' : 'Reversal asked', [section(what)]);
}

/** Two days for a history export (the cardholder's history with its CSV). */
export function historyModal(c: ModalContext, username: string, period: { from: string; to: string }): types.ModalView {
  return modal(
    VIEW.history,
    'History',
    [
      section(`History of *${esc(username)}*: every deposit and withdrawal between two days (operator's time zone), with a CSV.`),
      input(INPUT.from, 'From (mm/dd/yyyy)', { initial: period.from, placeholder: '11/01/2026' }),
      input(INPUT.to, 'To (mm/dd/yyyy)', { initial: period.to, placeholder: '11/30/2026' }),
    ],
    { submit: 'Send CSV', context: c },
  );
}
