import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments, isMap, isSeq, type Node } from 'yaml';
import { parseDuration } from './duration.js';
import { CHANNELS, type ChannelName, type EmailExpectation, type Fixture, type FixtureCard, type FixtureMember, type MediaStepKind, type Script, type Step, type TextExpectation } from './format.js';
import { parseAgents, parseSlackAction, parseSlackExpectation } from './slack/parse.js';

/** A script file that cannot be read as a script; the message names the file, line and problem. */
export class ScriptFormatError extends Error {
  readonly code = 'CONVERSE.BAD_SCRIPT';
}

/** The step keys a script may use, one per step (besides `as`). */
export const STEP_KEYS = [
  'send', 'media', 'press', 'expect', 'buttons', 'image', 'file', 'deleted', 'no-reply', 'email', 'no-email', 'advance',
  'restart', 'cli', 'confirm-payment', 'as', 'set', 'logs-exclude', 'slack', 'slack-expect',
] as const;

/** Keys that may sit beside a step key. */
const MODIFIERS: Record<string, string[]> = {
  cli: ['capture', 'exit', 'expect'],
  'confirm-payment': ['outcome'],
  file: [],
};

const TOP_KEYS = ['name', 'description', 'channels', 'env', 'vars', 'fixture', 'agents', 'steps'];

/** Reads every script in a YAML file (several scripts may be separated by `---`). */
export function loadScripts(file: string): Script[] {
  return parseScripts(readFileSync(file, 'utf8'), file);
}

/** Parses the scripts in YAML text. */
export function parseScripts(source: string, file = '<inline>'): Script[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(source, { lineCounter: lc, prettyErrors: true });
  if (!Array.isArray(docs)) return [];
  const scripts: Script[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new ScriptFormatError(`${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
    if (doc.contents === null) continue;
    scripts.push(parseScript(doc.contents as Node, doc.toJS() as unknown, file, lc));
  }
  if (!scripts.length) throw new ScriptFormatError(`${file}: no script in the file`);
  return scripts;
}

function lineOf(node: Node | null | undefined, lc: LineCounter): number {
  const start = node?.range?.[0];
  return start === undefined ? 0 : lc.linePos(start).line;
}

function parseScript(node: Node, raw: unknown, file: string, lc: LineCounter): Script {
  const where = (line: number) => `${file}:${line}`;
  const fail = (line: number, m: string): never => {
    throw new ScriptFormatError(`${where(line)}: ${m}`);
  };
  if (!isMap(node) || typeof raw !== 'object' || raw === null) return fail(lineOf(node, lc), 'a script is a mapping with `name` and `steps`');
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!TOP_KEYS.includes(k)) fail(lineOf(node, lc), `unknown key "${k}" (expected one of ${TOP_KEYS.join(', ')})`);
  if (typeof obj.name !== 'string' || !obj.name.trim()) fail(lineOf(node, lc), 'the script needs a `name`');
  const stepsNode = node.get('steps', true) as Node | undefined;
  if (!isSeq(stepsNode) || !Array.isArray(obj.steps)) return fail(lineOf(node, lc), `"${String(obj.name)}": \`steps\` must be a list`);

  const channels = obj.channels === undefined ? [...CHANNELS] : toList(obj.channels).map(String);
  for (const c of channels) if (!(CHANNELS as readonly string[]).includes(c)) fail(lineOf(node, lc), `unknown channel "${c}" (expected ${CHANNELS.join(', ')})`);

  const steps = (obj.steps as unknown[]).map((s, i) => parseStep(s, lineOf(stepsNode.items[i] as Node, lc), (line, m) => fail(line, `step ${i + 1}: ${m}`)));
  return {
    name: obj.name as string,
    file,
    ...(typeof obj.description === 'string' ? { description: obj.description } : {}),
    channels: channels as ChannelName[],
    env: stringMap(obj.env, 'env', (m) => fail(lineOf(node, lc), m)),
    vars: stringMap(obj.vars, 'vars', (m) => fail(lineOf(node, lc), m)),
    ...(obj.fixture !== undefined ? { fixture: parseFixture(obj.fixture, (m) => fail(lineOf(node, lc), m)) } : {}),
    ...(obj.agents !== undefined ? { agents: parseAgents(obj.agents, (m) => fail(lineOf(node, lc), m)) } : {}),
    steps,
  };
}

type Fail = (line: number, m: string) => never;

function parseStep(raw: unknown, line: number, fail: Fail): Step {
  if (typeof raw === 'string') {
    // A bare string is a shorthand for `send:`.
    return { line, kind: 'send', text: raw };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(line, 'a step is a mapping such as `send: /start` or `expect: Welcome`');
  const obj = raw as Record<string, unknown>;
  const keys = Object.keys(obj);
  let actions = keys.filter((k) => (STEP_KEYS as readonly string[]).includes(k) && k !== 'as');
  // `expect:` beside `cli:` checks the command's output; it is not a step of its own there.
  const owner = actions.find((k) => MODIFIERS[k]?.length);
  if (owner) actions = actions.filter((k) => k === owner || !MODIFIERS[owner]!.includes(k));
  const as = obj.as === undefined ? undefined : String(obj.as);
  if (actions.length === 0) {
    if (as !== undefined && keys.length === 1) return { line, kind: 'join', who: as };
    return fail(line, `no action in this step (keys: ${keys.join(', ')}); use one of ${STEP_KEYS.join(', ')}`);
  }
  if (actions.length > 1) return fail(line, `one action per step, found ${actions.join(' and ')}`);
  const kind = actions[0]!;
  const allowed = new Set(['as', kind, ...(MODIFIERS[kind] ?? [])]);
  for (const k of keys) if (!allowed.has(k)) fail(line, `"${k}" does not go with "${kind}"`);
  const v = obj[kind];
  const base = { line, ...(as !== undefined ? { as } : {}) };
  const str = (x: unknown, what: string): string => {
    if (typeof x === 'string' || typeof x === 'number') return String(x);
    return fail(line, `${what} must be text`);
  };
  switch (kind) {
    case 'send':
      return { ...base, kind, text: str(v, 'send') };
    case 'media': {
      // `media: photo`, or `media: { kind: photo, caption: "3000" }`.
      const m = typeof v === 'string' ? { kind: v } : ((v ?? {}) as { kind?: unknown; caption?: unknown });
      if (!['photo', 'sticker', 'voice', 'document'].includes(String(m.kind))) return fail(line, 'media is one of photo, sticker, voice, document (optionally with a caption)');
      return { ...base, kind, media: String(m.kind) as MediaStepKind, ...(m.caption !== undefined ? { caption: str(m.caption, 'caption') } : {}) };
    }
    case 'press':
      return { ...base, kind, label: str(v, 'press') };
    case 'expect':
      // `expect: { slack: … }` is the same as `slack-expect: …`.
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'slack' in v) return { ...base, kind: 'slack-expect', expect: parseSlackExpectation((v as { slack: unknown }).slack, (m) => fail(line, m)) };
      return { ...base, kind, expect: textExpectation(v, line, fail) };
    case 'buttons':
      if (Array.isArray(v)) return { ...base, kind, labels: v.map((x) => str(x, 'a button label')), exact: false };
      if (v && typeof v === 'object' && Array.isArray((v as { exact?: unknown }).exact)) {
        return { ...base, kind, labels: ((v as { exact: unknown[] }).exact).map((x) => str(x, 'a button label')), exact: true };
      }
      return fail(line, 'buttons: a list of labels, or `{ exact: [labels] }`');
    case 'image':
      return { ...base, kind, expect: v === true || v === null ? {} : textExpectation(v, line, fail) };
    case 'file': {
      if (v === true || v === null) return { ...base, kind, expect: {} };
      if (typeof v !== 'object' || Array.isArray(v)) return fail(line, 'file: `true` or `{ name, contains, caption }`');
      const f = v as Record<string, unknown>;
      return {
        ...base,
        kind,
        ...(f.name !== undefined ? { name: str(f.name, 'file.name') } : {}),
        ...(f.contains !== undefined ? { contains: str(f.contains, 'file.contains') } : {}),
        expect: f.caption === undefined ? {} : textExpectation(f.caption, line, fail),
      };
    }
    case 'deleted':
      if (v !== true) fail(line, 'deleted: true');
      return { ...base, kind };
    case 'no-reply':
      if (v !== true) fail(line, 'no-reply: true');
      return { ...base, kind };
    case 'email':
      return { ...base, kind, expect: emailExpectation(v, line, fail) };
    case 'no-email':
      return { ...base, kind, ...(typeof v === 'string' ? { to: v } : v && typeof v === 'object' && 'to' in v ? { to: str((v as { to: unknown }).to, 'to') } : {}) };
    case 'advance': {
      const text = str(v, 'advance');
      const ms = parseDuration(text);
      if (ms === null) fail(line, `advance: a duration like 30s, 31m, 2h, 1d or 1h30m, got "${text}"`);
      return { ...base, kind, ms: ms!, text };
    }
    case 'restart':
      if (v !== true) fail(line, 'restart: true');
      return { ...base, kind };
    case 'cli': {
      const exit = obj.exit === undefined ? 0 : Number(obj.exit);
      if (!Number.isInteger(exit)) fail(line, 'exit: a whole number');
      return {
        ...base,
        kind,
        command: str(v, 'cli'),
        capture: obj.capture === undefined ? {} : stringMap(obj.capture, 'capture', (m) => fail(line, m)),
        exit,
        ...(obj.expect !== undefined ? { expect: textExpectation(obj.expect, line, fail) } : {}),
      };
    }
    case 'confirm-payment': {
      const outcome = obj.outcome === undefined ? 'paid' : String(obj.outcome);
      if (outcome !== 'paid' && outcome !== 'failed') fail(line, 'outcome: paid or failed');
      return { ...base, kind, reference: str(v, 'confirm-payment'), outcome: outcome as 'paid' | 'failed' };
    }
    case 'set':
      return { ...base, kind, vars: stringMap(v, 'set', (m) => fail(line, m)) };
    case 'logs-exclude':
      return { ...base, kind, values: toList(v).map((x) => str(x, 'logs-exclude')) };
    case 'slack':
    case 'slack-expect': {
      // `as` inside the mapping names the agent, as `as` beside a chat step names the person.
      const who = v && typeof v === 'object' && 'as' in v ? String((v as { as: unknown }).as) : undefined;
      const agent = who !== undefined ? { as: who } : {};
      if (kind === 'slack') return { ...base, ...agent, kind, action: parseSlackAction(v, (m) => fail(line, m)) };
      return { ...base, ...agent, kind, expect: parseSlackExpectation(v, (m) => fail(line, m)) };
    }
  }
  return fail(line, `unknown step "${kind}"`);
}

const TEXT_KEYS = ['exact', 'contains', 'regex', 'not', 'lang', 'key', 'vars', 'buttons', 'noButtons', 'no-buttons', 'capture'];

function textExpectation(v: unknown, line: number, fail: Fail): TextExpectation {
  if (typeof v === 'string' || typeof v === 'number') return { contains: String(v) };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(line, 'expect: text (contains), or a mapping with exact / contains / regex / lang / key / buttons / capture');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!TEXT_KEYS.includes(k)) fail(line, `unknown expectation "${k}" (expected one of ${TEXT_KEYS.join(', ')})`);
  const e: TextExpectation = {};
  if (o.exact !== undefined) e.exact = String(o.exact);
  if (o.contains !== undefined) e.contains = Array.isArray(o.contains) ? o.contains.map(String) : String(o.contains);
  if (o.not !== undefined) e.not = Array.isArray(o.not) ? o.not.map(String) : String(o.not);
  if (o.regex !== undefined) {
    e.regex = String(o.regex);
    try {
      new RegExp(e.regex);
    } catch (err) {
      fail(line, `regex: ${(err as Error).message}`);
    }
  }
  if (o.lang !== undefined) e.lang = String(o.lang);
  if (o.key !== undefined) e.key = String(o.key);
  if (o.vars !== undefined) e.vars = stringMap(o.vars, 'vars', (m) => fail(line, m));
  if (o.buttons !== undefined) e.buttons = toList(o.buttons).map(String);
  if (o.noButtons === true || o['no-buttons'] === true) e.noButtons = true;
  if (o.capture !== undefined) e.capture = stringMap(o.capture, 'capture', (m) => fail(line, m));
  return e;
}

function emailExpectation(v: unknown, line: number, fail: Fail): EmailExpectation {
  if (v === true || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return fail(line, 'email: a mapping with to / subject / body / capture');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['to', 'subject', 'body', 'capture'].includes(k)) fail(line, `unknown e-mail expectation "${k}" (to, subject, body, capture)`);
  return {
    ...(o.to !== undefined ? { to: String(o.to) } : {}),
    ...(o.subject !== undefined ? { subject: String(o.subject) } : {}),
    ...(o.body !== undefined ? { body: Array.isArray(o.body) ? o.body.map(String) : String(o.body) } : {}),
    ...(o.capture !== undefined ? { capture: stringMap(o.capture, 'capture', (m) => fail(line, m)) } : {}),
  };
}

function parseFixture(v: unknown, fail: (m: string) => never): Fixture {
  if (typeof v !== 'object' || v === null) return fail('fixture: a mapping with member and card');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['member', 'card', 'others'].includes(k)) fail(`fixture: unknown key "${k}" (member, card, others)`);
  const f: Fixture = {};
  if (o.member !== undefined) f.member = parseFixtureMember(o.member, 'fixture.member', fail);
  if (o.card !== undefined) {
    if (!f.member) fail('fixture.card needs fixture.member (a card belongs to someone)');
    f.card = parseFixtureCard(o.card, 'fixture.card', fail);
  }
  if (o.others !== undefined) {
    if (!f.member) fail('fixture.others needs fixture.member');
    if (!Array.isArray(o.others)) fail('fixture.others: a list of `{ member, card }`');
    f.others = (o.others as unknown[]).map((x, i) => {
      const e = (x ?? {}) as Record<string, unknown>;
      const member = parseFixtureMember(e.member, `fixture.others[${i}].member`, fail);
      return { member, ...(e.card !== undefined ? { card: parseFixtureCard(e.card, `fixture.others[${i}].card`, fail) } : {}) };
    });
  }
  return f;
}

function parseFixtureMember(v: unknown, what: string, fail: (m: string) => never): FixtureMember {
  const m = v as Record<string, unknown> | undefined;
  for (const k of ['username', 'email', 'password']) if (typeof m?.[k] !== 'string') fail(`${what}.${k} is required (text)`);
  return {
    username: String(m!.username),
    email: String(m!.email),
    password: String(m!.password),
    ...(m!.fullName !== undefined ? { fullName: String(m!.fullName) } : {}),
    ...(m!.lang !== undefined ? { lang: String(m!.lang) } : {}),
    ...(m!.loggedIn !== undefined ? { loggedIn: m!.loggedIn !== false } : {}),
  };
}

function parseFixtureCard(v: unknown, what: string, fail: (m: string) => never): FixtureCard {
  const c = v as Record<string, unknown> | undefined;
  if (typeof c?.currency !== 'string') fail(`${what}.currency is required (e.g. JPY)`);
  if (c!.last4 !== undefined && !/^\d{4}$/.test(String(c!.last4))) fail(`${what}.last4: 4 digits in quotes, e.g. "4242"`);
  return {
    currency: String(c!.currency),
    ...(c!.balance !== undefined ? { balance: String(c!.balance) } : {}),
    ...(c!.last4 !== undefined ? { last4: String(c!.last4) } : {}),
    ...(c!.pin !== undefined ? { pin: String(c!.pin) } : {}),
  };
}

function toList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function stringMap(v: unknown, what: string, fail: (m: string) => never): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return fail(`${what}: a mapping of names to text`);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}
