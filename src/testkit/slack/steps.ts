import { fail } from '../context.js';
import type { SlackAction, SlackExpectation } from '../format.js';
import { captureFrom } from '../match.js';
import { interpolateDeep, type Vars } from '../vars.js';
import { readBlocks, type BlockButton } from './blocks.js';
import { SCRIPT_SUPPORT_CHANNEL, type ScriptSlack } from './desk.js';
import { freshId, freshTs, messageEvent, type InputValue } from './payloads.js';
import { itemButtons, itemText, type SlackItem } from './seen.js';

/** What the Slack steps need of the script's state. */
export interface SlackStepContext {
  slack: ScriptSlack;
  vars: Vars;
  transcript: string[];
  t(text: string): string;
}

const TICKET = /SUP-\d{5}/;

/** Runs one `slack:` step as the current agent. */
export async function slackAction(c: SlackStepContext, action: SlackAction): Promise<void> {
  const s = c.slack;
  const agent = s.current;
  const user = { userId: s.idOf(agent), userName: agent };
  await s.settle();
  switch (action.do) {
    case 'command': {
      const text = c.t(action.text);
      const command = text.split(/\s+/, 1)[0]!;
      c.transcript.push(`${agent} (slack) > ${text}`);
      const res = await s.signed.command({ ...user, command, text: text.slice(command.length).trim(), channelId: SCRIPT_SUPPORT_CHANNEL, channelName: 'support', triggerId: s.seen.trigger(agent, freshId('TR')), responseUrl: s.seen.responseUrl(agent, s.fake.responseUrl()) });
      if (res.status !== 200) fail(`Slack's request for ${command} was answered ${res.status}`, '200', String(res.status));
      const body = parseAck(res.text);
      if (body && (body.text !== undefined || body.blocks !== undefined)) s.seen.add({ place: 'response', agent, payload: body });
      break;
    }
    case 'press': {
      const label = c.t(action.label);
      const hit = findButton(s, agent, label);
      c.transcript.push(`${agent} (slack) > [${hit.button.text}]`);
      const b = hit.button;
      const base = { ...user, actionId: b.actionId ?? b.text, ...(b.value !== undefined ? { value: b.value } : {}), ...(b.blockId ? { blockId: b.blockId } : {}), triggerId: s.seen.trigger(agent, freshId('TR')) };
      const res = hit.modal
        ? await s.signed.blockAction({ ...base, view: { id: hit.modal.id, callback_id: String(hit.modal.view.callback_id ?? ''), private_metadata: String(hit.modal.view.private_metadata ?? '') } })
        : await s.signed.blockAction({ ...base, channelId: hit.item!.channel ?? SCRIPT_SUPPORT_CHANNEL, responseUrl: s.seen.responseUrl(agent, s.fake.responseUrl()), message: { ts: hit.item!.ts ?? freshTs(), text: String(hit.item!.payload.text ?? ''), blocks: (hit.item!.payload.blocks as unknown[]) ?? [], ...(hit.item!.threadTs ? { thread_ts: hit.item!.threadTs } : {}) } });
      if (res.status !== 200) fail(`pressing "${b.text}" was answered ${res.status}`, '200', String(res.status));
      break;
    }
    case 'modal':
      await submitModal(c, agent, action);
      break;
    case 'reply': {
      const ticket = action.ticket !== undefined ? c.t(action.ticket) : undefined;
      const roots = s.seen.visible(agent, 'channel').filter((i) => TICKET.test(itemText(i)) && (ticket === undefined || itemText(i).includes(ticket)));
      const root = roots.at(-1);
      if (!root?.ts) return fail(`no ticket thread${ticket ? ` for ${ticket}` : ''} in the support channel yet`, 'a ticket root message', `${s.seen.visible(agent, 'channel').length} channel messages`);
      const text = c.t(action.text);
      c.transcript.push(`${agent} (slack, thread of ${TICKET.exec(itemText(root))?.[0]}) > ${text}`);
      const res = await s.signed.event(messageEvent({ text, threadTs: root.ts, user: user.userId, channel: root.channel ?? SCRIPT_SUPPORT_CHANNEL }));
      if (res.status !== 200) fail(`the thread reply was answered ${res.status}`, '200', String(res.status));
      break;
    }
  }
  await s.settle();
}

/** A `slack-expect:` step: the first unread Slack message the agent sees that matches (then it is read). */
export async function slackExpect(c: SlackStepContext, e0: SlackExpectation): Promise<void> {
  const s = c.slack;
  const agent = s.current;
  await s.settle();
  const e = interpolateDeep(e0, c.vars);
  if (e.errors) checkErrors(s, agent, e.errors);
  if (!e.contains && !e.not && !e.regex && !e.buttons && !e.none && e.errors) return;
  const items = s.seen.visible(agent, e.in);
  const matches = (i: SlackItem) => {
    const text = itemText(i);
    const buttons = itemButtons(i);
    return (e.contains ?? []).every((x) => text.includes(x)) && !(e.not ?? []).some((x) => text.includes(x)) && (e.regex === undefined || new RegExp(e.regex, 'm').test(text)) && (e.buttons ?? []).every((b) => buttons.includes(b));
  };
  const where = `${e.in === 'any' ? 'Slack' : `Slack (${e.in})`} as ${agent} sees it`;
  const want = [...(e.contains ?? []).map((x) => `containing ${JSON.stringify(x)}`), ...(e.not ?? []).map((x) => `not ${JSON.stringify(x)}`), ...(e.regex ? [`matching /${e.regex}/`] : []), ...(e.buttons ? [`buttons ${JSON.stringify(e.buttons)}`] : [])].join(', ');
  if (e.none) {
    const pool = e.contains || e.regex ? items : items.filter((i) => !i.read);
    const bad = pool.filter(matches);
    if (bad.length) fail(`a message in ${where} should not be there`, `no message ${want}`.trim(), describe(bad));
    return;
  }
  const found = items.find((i) => !i.read && matches(i));
  if (!found) return fail(`no unread message in ${where} ${want}`.trim(), want || 'a message', describe(items.filter((i) => !i.read)) || '(nothing unread)');
  found.read = true;
  const cap = captureFrom([itemText(found)], e.capture);
  if (cap.missing) fail(`could not capture \${${cap.missing.name}} from the Slack message`, `/${cap.missing.pattern}/`, JSON.stringify(itemText(found).slice(0, 400)));
  for (const [k, v] of Object.entries(cap.values)) c.vars.set(k, v);
}

function describe(items: SlackItem[]): string {
  return items.slice(-5).map((i) => `[${i.place}] ${itemText(i).replace(/\s*\n\s*/g, ' / ').slice(0, 200)}${itemButtons(i).length ? ` [${itemButtons(i).join(' | ')}]` : ''}`).join('  ||  ');
}

function parseAck(text: string): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : { text };
  } catch {
    return { text };
  }
}

/** The button to press: in the agent's open modal first, then on the newest message the agent sees. */
function findButton(s: ScriptSlack, agent: string, label: string): { button: BlockButton; item?: SlackItem; modal?: { id: string; view: Record<string, unknown> } } {
  const pick = (buttons: BlockButton[]) => buttons.find((b) => b.text === label) ?? buttons.find((b) => b.text.toLowerCase() === label.toLowerCase()) ?? buttons.find((b) => b.actionId === label);
  const modal = s.seen.stack(agent).at(-1);
  if (modal) {
    const b = pick(readBlocks(modal.view).buttons);
    if (b) return { button: b, modal };
  }
  const items = s.seen.visible(agent).filter((i) => i.place !== 'modal');
  for (const i of [...items].reverse()) {
    const now = s.seen.current(i);
    const b = pick(readBlocks(now.payload).buttons);
    if (b) return { button: b, item: now };
  }
  const offered = [...new Set(items.flatMap((i) => itemButtons(s.seen.current(i))))];
  return fail(`no Slack button "${label}" for ${agent}`, `a button "${label}"`, offered.length ? `buttons ${JSON.stringify(offered)}` : 'no buttons in Slack');
}

/** Fills the agent's top modal (inputs by label, block id or action id) and submits it; records the answer. */
async function submitModal(c: SlackStepContext, agent: string, action: Extract<SlackAction, { do: 'modal' }>): Promise<void> {
  const s = c.slack;
  const stack = s.seen.stack(agent);
  const top = stack.at(-1);
  if (!top) return fail(`${agent} has no modal open`, 'an open modal', 'none');
  const blocks = (Array.isArray(top.view.blocks) ? top.view.blocks : []) as Record<string, unknown>[];
  const inputs = readBlocks(top.view).inputs;
  const values: Record<string, Record<string, InputValue | string>> = {};
  for (const i of inputs) if (i.blockId && i.actionId) values[i.blockId] = { [i.actionId]: { type: i.type ?? 'plain_text_input', value: null } as InputValue };
  for (const [key, raw] of Object.entries(action.values)) {
    const value = c.t(raw);
    const input = inputs.find((i) => i.label.toLowerCase() === key.toLowerCase()) ?? inputs.find((i) => i.blockId === key || i.actionId === key);
    if (!input?.blockId || !input.actionId) return fail(`the modal has no input "${key}"`, `an input "${key}"`, `inputs ${JSON.stringify(inputs.map((i) => i.label))}`);
    values[input.blockId] = { [input.actionId]: inputValue(blocks.find((b) => b.block_id === input.blockId), input.type, value) };
  }
  c.transcript.push(`${agent} (slack) > modal ${JSON.stringify(action.values)}${action.submit ? ' [submit]' : ''}`);
  if (!action.submit) return;
  const res = await s.signed.viewSubmission({ userId: s.idOf(agent), userName: agent, callbackId: String(top.view.callback_id ?? ''), privateMetadata: String(top.view.private_metadata ?? ''), viewId: top.id, values });
  if (res.status !== 200) fail(`the modal's submission was answered ${res.status}`, '200', String(res.status));
  const body = parseAck(res.text) ?? {};
  s.seen.errors.delete(agent);
  if (body.response_action === 'errors') s.seen.errors.set(agent, (body.errors ?? {}) as Record<string, string>);
  else if (body.response_action === 'update' && body.view) {
    top.view = body.view as Record<string, unknown>;
    s.seen.add({ place: 'modal', agent, payload: top.view, viewId: top.id });
  } else if (body.response_action === 'push' && body.view) {
    stack.push({ id: freshId('V'), view: body.view as Record<string, unknown> });
    s.seen.add({ place: 'modal', agent, payload: body.view as Record<string, unknown>, viewId: stack.at(-1)!.id });
  } else if (body.response_action === 'clear') stack.length = 0;
  else stack.pop();
}

/** The state value Slack would send for an input of this kind (a select by option label or value). */
function inputValue(block: Record<string, unknown> | undefined, type: string | undefined, value: string): InputValue | string {
  const options = ((block?.element as { options?: { text?: { text?: string }; value?: string }[] } | undefined)?.options ?? []);
  if (type === 'static_select' || type === 'radio_buttons') {
    const o = options.find((x) => x.text?.text === value || x.value === value);
    if (!o) fail(`no option "${value}"`, `one of ${JSON.stringify(options.map((x) => x.text?.text))}`, value);
    return { type, selected_option: { value: o!.value ?? '', text: { type: 'plain_text', text: o!.text?.text ?? '' } } };
  }
  if (type === 'number_input') return { type, value };
  return value;
}

/** `errors:` — the agent's last submission was refused with these field errors. */
function checkErrors(s: ScriptSlack, agent: string, want: Record<string, string>): void {
  const got = s.seen.errors.get(agent) ?? {};
  const inputs = readBlocks(s.seen.stack(agent).at(-1)?.view ?? {}).inputs;
  for (const [key, text] of Object.entries(want)) {
    const blockId = inputs.find((i) => i.label.toLowerCase() === key.toLowerCase())?.blockId ?? key;
    if (!got[blockId]?.includes(text)) fail(`the modal's error for "${key}" differs`, `an error containing ${JSON.stringify(text)}`, JSON.stringify(got));
  }
}
