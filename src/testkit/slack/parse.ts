import type { AgentRole, SlackAction, SlackExpectation, SlackPlace } from '../format.js';

/** Reports a problem in the step being parsed (the caller adds the file, line and step number). */
type Fail = (m: string) => never;

const ACTIONS = ['command', 'press', 'modal', 'reply'] as const;
const PLACES: SlackPlace[] = ['channel', 'thread', 'ephemeral', 'response', 'modal', 'file', 'any'];
const ROLES: AgentRole[] = ['support', 'admin', 'nobody'];
const EXPECT_KEYS = ['as', 'in', 'contains', 'not', 'regex', 'buttons', 'capture', 'none', 'errors'];

function text(v: unknown, what: string, fail: Fail): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return fail(`${what} must be text`);
}

function list(v: unknown, what: string, fail: Fail): string[] {
  return (Array.isArray(v) ? v : [v]).map((x) => text(x, what, fail));
}

function map(v: unknown, what: string, fail: Fail): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`${what}: a mapping of names to text`);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, text(x, `${what}.${k}`, fail)]));
}

/**
 * `slack: { as?, command | press | modal (+ submit) | reply (+ ticket) }`: one agent action.
 * `as` is handled by the step parser (it switches the acting agent, as it switches chats).
 */
export function parseSlackAction(v: unknown, fail: Fail): SlackAction {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('slack: a mapping such as `{ as: sam, reply: "Hello" }` or `{ press: Close }`');
  const o = v as Record<string, unknown>;
  const found = ACTIONS.filter((k) => k in o);
  if (found.length !== 1) return fail(`slack: exactly one of ${ACTIONS.join(', ')} (found ${found.join(' and ') || 'none'})`);
  const allowed = new Set(['as', found[0]!, ...(found[0] === 'modal' ? ['submit'] : found[0] === 'reply' ? ['ticket'] : [])]);
  for (const k of Object.keys(o)) if (!allowed.has(k)) fail(`slack: "${k}" does not go with "${found[0]}"`);
  switch (found[0]!) {
    case 'command': {
      const t = text(o.command, 'slack.command', fail).trim();
      if (!/^\/\w[\w-]*/.test(t)) fail('slack.command: a slash command such as "/omnipay lookup ${username}"');
      return { do: 'command', text: t };
    }
    case 'press':
      return { do: 'press', label: text(o.press, 'slack.press', fail) };
    case 'modal':
      if (o.submit !== undefined && typeof o.submit !== 'boolean') fail('slack.submit: true or false');
      return { do: 'modal', values: o.modal === null || o.modal === true ? {} : map(o.modal, 'slack.modal', fail), submit: o.submit !== false };
    case 'reply':
      return { do: 'reply', text: text(o.reply, 'slack.reply', fail), ...(o.ticket !== undefined ? { ticket: text(o.ticket, 'slack.ticket', fail) } : {}) };
  }
  return fail('slack: unknown action');
}

/** `slack-expect: text` (contains) or a mapping (see {@link SlackExpectation}). */
export function parseSlackExpectation(v: unknown, fail: Fail): SlackExpectation {
  if (typeof v === 'string' || typeof v === 'number') return { in: 'any', contains: [String(v)] };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('slack-expect: text, or a mapping with in / contains / not / regex / buttons / capture / none / errors');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!EXPECT_KEYS.includes(k)) fail(`slack-expect: unknown key "${k}" (expected one of ${EXPECT_KEYS.join(', ')})`);
  const place = o.in === undefined ? 'any' : text(o.in, 'slack-expect.in', fail);
  if (!(PLACES as string[]).includes(place)) fail(`slack-expect.in: one of ${PLACES.join(', ')}`);
  const e: SlackExpectation = { in: place as SlackPlace };
  if (o.contains !== undefined) e.contains = list(o.contains, 'slack-expect.contains', fail);
  if (o.not !== undefined) e.not = list(o.not, 'slack-expect.not', fail);
  if (o.regex !== undefined) {
    e.regex = text(o.regex, 'slack-expect.regex', fail);
    try {
      new RegExp(e.regex);
    } catch (err) {
      fail(`slack-expect.regex: ${(err as Error).message}`);
    }
  }
  if (o.buttons !== undefined) e.buttons = list(o.buttons, 'slack-expect.buttons', fail);
  if (o.capture !== undefined) e.capture = map(o.capture, 'slack-expect.capture', fail);
  if (o.none !== undefined) {
    if (o.none !== true) fail('slack-expect.none: true');
    e.none = true;
  }
  if (o.errors !== undefined) e.errors = map(o.errors, 'slack-expect.errors', fail);
  return e;
}

/** `agents: { sam: support, ada: admin, eve: nobody }`. */
export function parseAgents(v: unknown, fail: Fail): Record<string, AgentRole> {
  const m = map(v, 'agents', fail);
  for (const [name, role] of Object.entries(m)) {
    if (!/^[a-z][a-z0-9]{0,15}$/.test(name)) fail(`agents: "${name}" must be a short lower-case name (letters and digits)`);
    if (!(ROLES as string[]).includes(role)) fail(`agents.${name}: one of ${ROLES.join(', ')}`);
  }
  return m as Record<string, AgentRole>;
}
