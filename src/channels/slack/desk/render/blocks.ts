import type { types } from '@slack/bolt';
import { DateTime } from 'luxon';
import { formatMoney, formatSigned } from '../../../../domain/money/index.js';

/**
 * Block Kit building blocks for the desk, each keeping to Slack's limits (section text 3,000,
 * header 150, button text 75, field 2,000 characters): Slack refuses a whole message that breaks one.
 */

/** A message: Block Kit plus the plain text Slack shows in notifications. */
export interface DeskMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/** Slack's limits the builders keep to. */
export const LIMIT = { sectionText: 3000, headerText: 150, buttonText: 75, fieldText: 2000, fields: 10, messageBlocks: 50, viewTitle: 24, fallbackText: 3000 } as const;

/** Cuts text to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes text a person typed (names, merchants, reasons) so it cannot mention or link anything. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A mrkdwn section, with an optional button beside it. */
export function section(text: string, accessory?: types.Button): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMIT.sectionText) }, ...(accessory ? { accessory } : {}) };
}

/** A section of label/value fields (at most 10). */
export function fields(pairs: [string, string][]): types.SectionBlock {
  return { type: 'section', fields: pairs.slice(0, LIMIT.fields).map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${k}*\n${v}`, LIMIT.fieldText) })) };
}

/** A header line. */
export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, LIMIT.headerText) } };
}

/** A small grey line. */
export function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, LIMIT.sectionText) }] };
}

/** A divider. */
export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

/** A button; `value` is an id (well under Slack's 2,000). */
export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return { type: 'button', text: { type: 'plain_text', text: clip(text, LIMIT.buttonText) }, action_id: actionId, value, ...(style ? { style } : {}) };
}

/** An actions block, or nothing when there is no button (an empty one is refused). */
export function actions(blockId: string, buttons: types.Button[]): types.ActionsBlock[] {
  return buttons.length ? [{ type: 'actions', block_id: blockId, elements: buttons.slice(0, 25) }] : [];
}

/** A message of blocks with its notification text. */
export function message(text: string, blocks: types.KnownBlock[]): DeskMessage {
  return { text: clip(text, LIMIT.fallbackText), blocks: blocks.slice(0, LIMIT.messageBlocks) };
}

/** A short answer: one section. */
export function note(text: string): DeskMessage {
  return message(text, [section(text)]);
}

/** An amount in English form, e.g. `1,500 JPY`. */
export function money(amount: bigint, currency: string): string {
  return formatMoney(amount, currency, 'en');
}

/** A signed amount, e.g. `−1,500 JPY` / `+1,500 JPY`. */
export function signed(amount: bigint, currency: string): string {
  return formatSigned(amount, currency, 'en');
}

/** A day as people type it here, mm/dd/yyyy, in the operator's zone. */
export function day(d: Date, zone: string): string {
  return DateTime.fromJSDate(d).setZone(zone).toFormat('MM/dd/yyyy');
}

/** A moment, mm/dd/yyyy HH:mm, in the operator's zone. */
export function when(d: Date, zone: string): string {
  return DateTime.fromJSDate(d).setZone(zone).toFormat('MM/dd/yyyy HH:mm');
}

/** A Slack user mention with their name beside it (in case the mention cannot be resolved). */
export function who(userId: string, name: string | null): string {
  return `<@${userId}>${name ? ` (${esc(name)})` : ''}`;
}
