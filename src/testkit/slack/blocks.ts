/**
 * Block Kit as the desk's tests read it (CONTRACT.md, "Slack support desk"): the text of `section`
 * (text and fields), `context` and `header` blocks and the buttons (in `actions` blocks and as
 * section accessories), from whatever carried them — an ack body, a `response_url` POST, a
 * `chat.*` call or a modal. And Slack's size limits, which Slack enforces by refusing the whole
 * message (`invalid_blocks`), so a test should catch them first.
 */

type Obj = Record<string, unknown>;

/** A button as a test can press it. */
export interface BlockButton {
  text: string;
  actionId?: string;
  value?: string;
  url?: string;
  style?: string;
  blockId?: string;
}

/** An input of a modal, to fill in for a `view_submission`. */
export interface BlockInput {
  label: string;
  blockId?: string;
  actionId?: string;
  type?: string;
  optional: boolean;
}

/** What a message or modal says. */
export interface ReadBlocks {
  /** The modal's title, when it is one. */
  title?: string;
  /** One entry per text: section text, each section field, each context text, header text. */
  texts: string[];
  buttons: BlockButton[];
  inputs: BlockInput[];
}

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function textOf(v: unknown): string | undefined {
  const t = obj(v);
  return typeof t?.text === 'string' ? t.text : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The blocks of a message (`{ blocks }`), a modal view, a `views.*` call (`{ view }`) or a bare array. */
export function blocksOf(payload: unknown): Obj[] {
  if (Array.isArray(payload)) return payload.flatMap((b) => (obj(b) ? [obj(b)!] : []));
  const p = obj(payload);
  if (!p) return [];
  let blocks = p.blocks;
  // Arguments recorded from a form-encoded call hold blocks as a JSON string.
  if (typeof blocks === 'string') blocks = JSON.parse(blocks) as unknown;
  if (blocks === undefined && p.view !== undefined) return blocksOf(typeof p.view === 'string' ? JSON.parse(p.view) : p.view);
  return Array.isArray(blocks) ? blocksOf(blocks) : [];
}

/** The view of a modal payload: itself, or the `view` of a `views.*` call (object or recorded JSON string). */
function viewOf(payload: unknown): Obj | undefined {
  const p = obj(payload);
  const raw = p?.view;
  return obj(typeof raw === 'string' ? JSON.parse(raw) : raw) ?? (p?.type === 'modal' || p?.type === 'home' ? p : undefined);
}

function button(el: Obj, blockId: string | undefined): BlockButton {
  const b: BlockButton = { text: textOf(el.text) ?? '' };
  const actionId = str(el.action_id);
  const value = str(el.value);
  const url = str(el.url);
  const style = str(el.style);
  if (actionId !== undefined) b.actionId = actionId;
  if (value !== undefined) b.value = value;
  if (url !== undefined) b.url = url;
  if (style !== undefined) b.style = style;
  if (blockId !== undefined) b.blockId = blockId;
  return b;
}

/** Reads the texts, buttons and inputs of a message or modal. */
export function readBlocks(payload: unknown): ReadBlocks {
  const out: ReadBlocks = { texts: [], buttons: [], inputs: [] };
  const view = viewOf(payload);
  const title = textOf(view?.title);
  if (title !== undefined) out.title = title;
  for (const block of blocksOf(payload)) {
    const blockId = str(block.block_id);
    if (block.type === 'section') {
      const t = textOf(block.text);
      if (t !== undefined) out.texts.push(t);
      for (const f of Array.isArray(block.fields) ? block.fields : []) {
        const ft = textOf(f);
        if (ft !== undefined) out.texts.push(ft);
      }
      const acc = obj(block.accessory);
      if (acc?.type === 'button') out.buttons.push(button(acc, blockId));
    } else if (block.type === 'header') {
      const t = textOf(block.text);
      if (t !== undefined) out.texts.push(t);
    } else if (block.type === 'context') {
      for (const el of Array.isArray(block.elements) ? block.elements : []) {
        const e = obj(el);
        if (e?.type === 'mrkdwn' || e?.type === 'plain_text') out.texts.push(textOf(e) ?? '');
      }
    } else if (block.type === 'actions') {
      for (const el of Array.isArray(block.elements) ? block.elements : []) {
        const e = obj(el);
        if (e?.type === 'button') out.buttons.push(button(e, blockId));
      }
    } else if (block.type === 'input') {
      const el = obj(block.element);
      const input: BlockInput = { label: textOf(block.label) ?? '', optional: block.optional === true };
      if (blockId !== undefined) input.blockId = blockId;
      if (str(el?.action_id) !== undefined) input.actionId = str(el?.action_id)!;
      if (str(el?.type) !== undefined) input.type = str(el?.type)!;
      out.inputs.push(input);
    }
  }
  return out;
}

/** All texts of a message or modal joined by newlines, for `toContain` checks. */
export function blockText(payload: unknown): string {
  return readBlocks(payload).texts.join('\n');
}

/** The labels of the buttons of a message or modal, in order. */
export function buttonLabels(payload: unknown): string[] {
  return readBlocks(payload).buttons.map((b) => b.text);
}

/** The button with this label (or action id), or an error naming the buttons there are. */
export function findButton(payload: unknown, labelOrActionId: string): BlockButton {
  const buttons = readBlocks(payload).buttons;
  const b = buttons.find((x) => x.text === labelOrActionId) ?? buttons.find((x) => x.actionId === labelOrActionId);
  if (!b) throw new Error(`no button "${labelOrActionId}"; there are: ${buttons.map((x) => `"${x.text}"`).join(', ') || 'none'}`);
  return b;
}

// Slack's Block Kit size limits (https://docs.slack.dev/reference/block-kit). Lengths are counted in
// UTF-16 code units, never fewer than Slack's count of characters: what passes here passes there.

/** One limit a payload breaks. */
export interface BlockLimitViolation {
  /** Where, e.g. `blocks[3].elements[0].text`. */
  path: string;
  /** Which limit, e.g. `button text`. */
  rule: string;
  limit: number;
  actual: number;
}

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  viewTitle: 24,
} as const;

function len(v: unknown): number {
  if (typeof v === 'string') return v.length;
  const t = obj(v)?.text;
  return typeof t === 'string' ? t.length : 0;
}

/** The violations of Slack's limits in a message (`{ blocks }`), a view, a `views.*` call or a block array. */
export function checkBlockLimits(payload: unknown): BlockLimitViolation[] {
  const found: BlockLimitViolation[] = [];
  const check = (path: string, rule: string, limit: number, actual: number) => {
    if (actual > limit) found.push({ path, rule, limit, actual });
  };
  const p = obj(payload);
  const view = viewOf(payload);
  const blocks = blocksOf(payload);
  const prefix = view && view !== p ? 'view.blocks' : 'blocks';
  if (view) {
    check(`${prefix}`, 'blocks in a view', LIMITS.viewBlocks, blocks.length);
    check(view === p ? 'title' : 'view.title', 'view title', LIMITS.viewTitle, len(view.title));
  } else {
    check(prefix, 'blocks in a message', LIMITS.messageBlocks, blocks.length);
  }
  blocks.forEach((block, i) => {
    const at = `${prefix}[${i}]`;
    if (typeof block.block_id === 'string') check(`${at}.block_id`, 'block_id', LIMITS.blockId, block.block_id.length);
    if (block.type === 'section') {
      check(`${at}.text`, 'section text', LIMITS.sectionText, len(block.text));
      const fields = Array.isArray(block.fields) ? block.fields : [];
      check(`${at}.fields`, 'fields in a section', LIMITS.sectionFields, fields.length);
      fields.forEach((f, j) => check(`${at}.fields[${j}]`, 'section field text', LIMITS.fieldText, len(f)));
      const acc = obj(block.accessory);
      if (acc) element(acc, `${at}.accessory`, check);
    } else if (block.type === 'header') {
      check(`${at}.text`, 'header text', LIMITS.headerText, len(block.text));
    } else if (block.type === 'actions') {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      check(`${at}.elements`, 'elements in an actions block', LIMITS.actionsElements, elements.length);
      elements.forEach((e, j) => {
        const el = obj(e);
        if (el) element(el, `${at}.elements[${j}]`, check);
      });
    } else if (block.type === 'input') {
      const el = obj(block.element);
      if (el) element(el, `${at}.element`, check);
    }
  });
  return found;
}

/** The limits of one interactive element: every one has an action_id; buttons have text and value too. */
function element(el: Obj, at: string, check: (path: string, rule: string, limit: number, actual: number) => void): void {
  if (typeof el.action_id === 'string') check(`${at}.action_id`, 'action_id', LIMITS.actionId, el.action_id.length);
  if (el.type !== 'button') return;
  check(`${at}.text`, 'button text', LIMITS.buttonText, len(el.text));
  if (typeof el.value === 'string') check(`${at}.value`, 'button value', LIMITS.buttonValue, el.value.length);
}
