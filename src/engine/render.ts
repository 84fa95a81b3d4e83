import { quickAction, type Lang, type Msg, type Reply } from '../../flows/shared/protocol.js';
import type { Catalogue } from '../i18n/i18n.js';
import type { StoredSnapshot } from '../infra/store/store.js';
import { htmlToText } from '../lib/html.js';
import { shortToken } from '../lib/ids.js';
import { decode } from './codec.js';
import { normalizeLabel } from './typed.js';
import type { Inbound, OutButton, Outbound } from './types.js';

/** The buttons of a chat's latest screen; presses of older screens are refused as expired. */
export interface Screen {
  id: string;
  values: string[];
  /** A navigation screen: the first reply to a press of one of its buttons edits it in place. */
  nav?: true;
  /** Per value: its label as typing may name it, and its label's catalogue key (see typed.ts). */
  labels?: string[];
  keys?: string[];
}

/** What is stored per chat. */
export interface ChatRecord {
  /** Version of the root machine that saved it (see versions.ts). */
  root?: string;
  /** The flow the chat was in and that flow's version, when it was in one. */
  flow?: { id: string; v: string };
  snapshot: unknown;
  screen: Screen | null;
  updatedAt: number;
  /** The platform's keys of the chat's latest updates (a redelivery of one of them is skipped). */
  seen?: string[];
}

/**
 * Renders a turn's replies in the chat's language: texts from the catalogue, buttons as opaque
 * `<screen>.<n>` data (the new screen's values are kept with the snapshot), the first reply that
 * asks to `replace` edits the pressed message — as does the turn's first reply when the button
 * pressed was on `current`, the chat's navigation screen — and a secret input is deleted. Only a
 * real press edits: a typed label (read as a press) or a quick action on a notice sends anew.
 */
export function renderReplies(catalogue: Catalogue, replies: Reply[], lang: Lang, inbound: Inbound, asPress: boolean, current?: Screen | null): { outbound: Outbound[]; screen: Screen | null } {
  const pressed = asPress && inbound.kind === 'button';
  const pressedNav = pressed && current?.nav === true && !quickAction(inbound.data ?? '');
  const outbound: Outbound[] = [];
  let screen: Screen | null = null;
  const toButtons = (rows: { label: { key: string; vars?: Record<string, string | number> }; value: string }[][] | undefined, nav: boolean | undefined, aside?: boolean): OutButton[][] | undefined => {
    if (!rows?.length) return undefined;
    const joins = aside === true && !screen && current != null && current.id !== '';
    const s: Screen = rows.flat().every((b) => quickAction(b.value)) ? { id: '', values: [] } : (screen ??= joins ? extended(current) : { id: shortToken(6), values: [] });
    // An aside keeps the screen it joins as it was (a navigation screen or not).
    if (!joins) {
      if (nav) s.nav = true;
      else delete s.nav;
    }
    return rows.map((row) =>
      row.map((b) => {
        // A quick action is its own data: it belongs to no screen and does not expire with one.
        if (quickAction(b.value)) return { label: catalogue.render(lang, b.label), data: b.value };
        const label = catalogue.render(lang, b.label);
        s.values.push(b.value);
        (s.labels ??= []).push(normalizeLabel(label));
        (s.keys ??= []).push(b.label.key);
        return { label, data: `${s.id}.${s.values.length - 1}` };
      }),
    );
  };
  let edited = false;
  for (const [i, r] of replies.entries()) {
    const asked = 'replace' in r && r.replace;
    const firstOfNav = pressedNav && i === 0 && (r.kind === 'text' || r.kind === 'image');
    const editOf = pressed && !edited && (asked || firstOfNav) && inbound.messageId ? inbound.messageId : undefined;
    if (editOf) edited = true;
    switch (r.kind) {
      case 'text': {
        const buttons = toButtons(r.buttons, r.nav, r.aside);
        outbound.push({ kind: 'text', ...rich(catalogue, lang, r.msg), ...(buttons ? { buttons } : {}), ...(editOf ? { editOf } : {}) });
        break;
      }
      case 'image': {
        const buttons = toButtons(r.buttons, r.nav);
        outbound.push({
          kind: 'image',
          png: Buffer.from(r.png, 'base64'),
          ...(r.terminal ? { terminal: r.terminal } : {}),
          ...(r.caption ? captionOf(catalogue, lang, r.caption) : {}),
          ...(buttons ? { buttons } : {}),
          ...(editOf ? { editOf } : {}),
        });
        break;
      }
      case 'file':
        outbound.push({ kind: 'file', name: r.name, mime: r.mime, content: Buffer.from(r.content, 'base64'), ...(r.caption ? captionOf(catalogue, lang, r.caption) : {}) });
        break;
      case 'delete-input':
        if (inbound.messageId && !outbound.some((o) => o.kind === 'delete')) outbound.unshift({ kind: 'delete', messageId: inbound.messageId });
        break;
    }
  }
  return { outbound, screen };
}

/** A copy of a stored screen that more buttons can join (same id: its buttons stay pressable). */
function extended(s: Screen): Screen {
  const pad = (a: string[] | undefined) => [...(a ?? s.values.map(() => ''))];
  return { ...s, values: [...s.values], labels: pad(s.labels), keys: pad(s.keys) };
}

/**
 * The screen a turn leaves the chat on: the one its replies showed; else — when they showed no
 * buttons — the previous one if the conversation is still at the same step (an aside such as /help,
 * an unknown command, a notice or a media hint leaves the flow's buttons above working), or none.
 */
export function nextScreen(shown: Screen | null, previous: ChatRecord | null, snapshot: unknown, keep: boolean): Screen | null {
  if (shown) return shown;
  if (!previous?.screen) return null;
  return keep || JSON.stringify(stepOf(previous.snapshot)) === JSON.stringify(stepOf(snapshot)) ? previous.screen : null;
}

/** A persisted snapshot's state value with the values of its running machines (at any depth). */
export function stepOf(snapshot: unknown): unknown {
  const s = snapshot as { value?: unknown; children?: Record<string, { snapshot?: unknown } | undefined> } | undefined;
  const subs = Object.entries(s?.children ?? {}).filter(([, c]) => (c?.snapshot as { value?: unknown } | undefined)?.value !== undefined);
  return subs.length ? [s?.value, Object.fromEntries(subs.map(([id, c]) => [id, stepOf(c!.snapshot)]))] : (s?.value ?? null);
}

/** A message as visible text and as Telegram HTML (see Catalogue.html). */
function rich(catalogue: Catalogue, lang: Lang, msg: Msg): { text: string; html: string } {
  const html = catalogue.html(lang, msg);
  return { text: htmlToText(html), html };
}

/** A caption as visible text and as Telegram HTML. */
function captionOf(catalogue: Catalogue, lang: Lang, msg: Msg): { caption: string; captionHtml: string } {
  const { text, html } = rich(catalogue, lang, msg);
  return { caption: text, captionHtml: html };
}

/** The stored chat record, or null when there is none or it cannot be read. */
export function readRecord(stored: StoredSnapshot | null): ChatRecord | null {
  if (!stored) return null;
  try {
    return decode<ChatRecord>(stored.data);
  } catch {
    return null;
  }
}

/** The value of a pressed button, or null when it belongs to an older screen (expired). */
export function resolveButton(record: ChatRecord | null, data: string): string | null {
  if (quickAction(data)) return data;
  const [screenId, idx] = data.split('.');
  if (!record || !screenId || idx === undefined || record.screen?.id !== screenId) return null;
  return record.screen.values[Number(idx)] ?? null;
}
