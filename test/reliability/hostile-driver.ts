/**
 * Hostile input at every state (issue 14, item 5): the real engine and services on PGlite + the
 * in-process store. Each fast-check run is one new chat (a guest, or a member with two cards) that
 * starts a flow of the registry, then walks it — pressing the buttons it is shown and typing the
 * model tests' sample texts (test/flows/model/doubles.ts), which reach the flows' states — with
 * hostile inputs mixed in: arbitrary unicode, 100 KB texts, control characters, lone surrogates,
 * commands in the wrong state, random and forged button data (other screens' ids, `go:` shapes,
 * garbage), and media where text is expected. After every input: the turn answered within the turn
 * timeout, did not throw (no "turn failed" / "turn timed out" log line), said something (a reply
 * or a button note), and the stored snapshot still decodes; at the end `/menu` answers with the
 * dashboard, not with "could not continue where we left off". The seed replays a run exactly.
 *
 * Used by test/reliability/hostile.test.ts (a few hundred inputs in `npm test`) and bench/soak.ts
 * (`--inputs N`, 10,000 by default).
 */
import fc from 'fast-check';
import { flowRegistry } from '../../flows/index.js';
import { MEDIA_KINDS } from '../../flows/shared/protocol.js';
import { Engine } from '../../src/engine/engine.js';
import { readRecord, stepOf } from '../../src/engine/render.js';
import type { Inbound, Outbound, TurnResult } from '../../src/engine/types.js';
import { testApp, type TestApp } from '../support/app.js';
import { memberWithCards, sessionFor } from '../support/cards.js';
import { uniqueName } from '../support/db.js';
import { SAMPLE_TEXTS } from '../flows/model/doubles.js';

const CHANNEL = 'hostile';
const FLOW_IDS = flowRegistry.map((f) => f.id);

/** One thing the walk does: move the flow on (press a shown button, type a sample) or send something hostile. */
export type Step =
  | { kind: 'press'; i: number }
  | { kind: 'sample'; i: number }
  | { kind: 'hostile'; what: string; inbound: Omit<Inbound, 'channel' | 'chatId'> }
  /** Button data from an earlier screen of this chat (forged or stale), or a shown one with its index changed. */
  | { kind: 'replay-old'; i: number; tweak: 'as-is' | 'bad-index' | 'other-screen' };

/** One run: who the chat is, which flow it starts, what it then does. */
export interface Scenario {
  member: boolean;
  start: string;
  steps: Step[];
}

const HUGE = 100_000;
const loneSurrogates = fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'a\uD83D', '\uDE00b', '\uD83D\uD83D');
const controlChars = fc.array(fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f), { minLength: 1, maxLength: 20 }).map((cs) => String.fromCharCode(...cs));
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.oneof(loneSurrogates, controlChars, fc.string({ unit: 'grapheme-composite', maxLength: 5 })), { maxLength: 20 }).map((a) => a.join('')),
  fc.constantFrom('', ' ', '\n', '\u200B', '\u202E', '\uFEFF', '０１２３', '１２３４', 'ｔｅｓｔ', '𝟏𝟐𝟑𝟒', '١٢٣٤', '-1', '1e309', 'NaN', '0x10', '99999999999999999999999', '%s%n', '${x}', '<b>x</b>', '{ $username }'),
);
const hugeText = fc.tuple(fc.constantFrom('x', '1', '日', '😀', '\n', '\u0000', '\uD800', ' '), fc.string({ maxLength: 10 })).map(([c, tail]) => c.repeat(Math.ceil(HUGE / c.length)) + tail);
const commandName = fc.oneof(
  fc.constantFrom('cancel', 'start', 'menu', 'end', 'help', 'language', 'logout', 'CANCEL', 'Start', ...FLOW_IDS),
  fc.stringMatching(/^[a-z_0-9]{1,32}$/),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const commandArg = fc.oneof(fc.constant(''), fc.constantFrom('x', 'act_', 'act_deadbeef', 'en', 'ja', 'xx', '../../etc', 'go:charge'), anyText, hugeText);
const forgedData = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/), fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 }), fc.string({ maxLength: 5 }))).map(([id, n]) => `${id}.${n}`),
  fc.tuple(fc.constantFrom(...FLOW_IDS, 'x', 'menu', 'logout', 'A', ''), fc.oneof(fc.constant(undefined), fc.stringMatching(/^[A-Za-z0-9:_-]{0,45}$/))).map(([f, a]) => (a === undefined ? `go:${f}` : `go:${f}:${a}`)),
  fc.constantFrom('', '.', '..', '.0', '0.', 'go:', 'go::', 'go:charge:', 'go:charge:' + 'a'.repeat(41), '__proto__.0', 'constructor.0', 'x'.repeat(64)),
);
const media = fc.oneof(fc.constantFrom(...MEDIA_KINDS), fc.constantFrom('video', 'animation', 'location', 'contact', ''), fc.string({ maxLength: 12 }));

const hostile: fc.Arbitrary<Step> = fc.oneof(
  anyText.map((text) => ({ kind: 'hostile' as const, what: 'text', inbound: { kind: 'text' as const, text } })),
  hugeText.map((text) => ({ kind: 'hostile' as const, what: 'huge text', inbound: { kind: 'text' as const, text } })),
  fc.tuple(commandName, commandArg).map(([command, arg]) => ({ kind: 'hostile' as const, what: 'command', inbound: { kind: 'command' as const, command, arg } })),
  // A command typed as text with a slash: channels pass it as a command; a slash in text must be harmless too.
  fc.tuple(commandName, commandArg).map(([c, a]) => ({ kind: 'hostile' as const, what: 'slash text', inbound: { kind: 'text' as const, text: `/${c} ${a}` } })),
  forgedData.map((data) => ({ kind: 'hostile' as const, what: 'forged button', inbound: { kind: 'button' as const, data } })),
  fc.record({ i: fc.nat(), tweak: fc.constantFrom('as-is' as const, 'bad-index' as const, 'other-screen' as const) }).map(({ i, tweak }) => ({ kind: 'replay-old' as const, i, tweak })),
  fc.tuple(media, fc.option(anyText, { nil: undefined })).map(([m, text]) => ({ kind: 'hostile' as const, what: 'media', inbound: { kind: 'media' as const, media: m, ...(text !== undefined ? { text } : {}) } })),
);

/** A run: a chat, a flow to start (or the menu), then a walk of presses and samples with hostile inputs between. */
export function scenario(maxSteps: number): fc.Arbitrary<Scenario> {
  const step = fc.oneof({ weight: 4, arbitrary: fc.nat().map((i) => ({ kind: 'press' as const, i })) }, { weight: 1, arbitrary: fc.nat().map((i) => ({ kind: 'sample' as const, i })) }, { weight: 3, arbitrary: hostile });
  return fc.record({ member: fc.boolean(), start: fc.constantFrom('menu', 'start', ...FLOW_IDS), steps: fc.array(step, { minLength: 1, maxLength: maxSteps }) });
}

/** The figures of a drive, for the test's log and bench/reliability.json. */
export interface HostileFigures {
  seed: number;
  runs: number;
  inputs: number;
  hostileInputs: number;
  byKind: Record<string, number>;
  /** Distinct (flow, state value) pairs a hostile input was sent in. */
  statesHit: number;
  failures: string[];
}

function describeInbound(i: Omit<Inbound, 'channel' | 'chatId'>): string {
  const s = JSON.stringify(i);
  return s.length > 200 ? `${s.slice(0, 200)}… (${s.length} chars)` : s;
}

/** The driver: one app for the whole drive; a new chat per run. */
export class HostileDriver {
  readonly figures: HostileFigures;
  private readonly states = new Set<string>();
  private delivered = new Map<string, Outbound[]>();
  private texts!: { reset: string[]; guestMenu: string[]; memberMenu: string[] };

  private constructor(private readonly app: TestApp, seed: number) {
    this.figures = { seed, runs: 0, inputs: 0, hostileInputs: 0, byKind: {}, statesHit: 0, failures: [] };
    app.engine.delivery.setSender(CHANNEL, async (chatId, outbound) => void this.delivered.get(chatId)?.push(...outbound));
    // In both languages: a walk may switch the chat's language.
    const r = (key: string) => (['en', 'ja'] as const).map((lang) => app.catalogue.render(lang, { key, vars: { username: '\u0000' } } as never));
    this.texts = { reset: r('conversation-reset'), guestMenu: r('menu-guest'), memberMenu: r('menu-member').map((t) => t.split('\u0000')[0]!) };
  }

  static async open(seed: number): Promise<HostileDriver> {
    const app = await testApp({ db: 'pglite', store: 'memory' }, { TURN_TIMEOUT_SECONDS: '10' });
    return new HostileDriver(app, seed);
  }

  close(): Promise<void> {
    return this.app.close();
  }

  /** Runs `runs` seeded scenarios; fast-check's report (seed, path, shrunk counterexample) is thrown on a failure. */
  async drive(runs: number, maxSteps = 16): Promise<HostileFigures> {
    await fc.assert(fc.asyncProperty(scenario(maxSteps), (sc) => this.play(sc)), { seed: this.figures.seed, numRuns: runs, endOnFailure: false });
    this.figures.statesHit = this.states.size;
    return this.figures;
  }

  /**
   * Sends at least `inputs` hostile inputs (the walk's presses and samples between them not counted): batches of 50 runs, batch k seeded with seed + k (so the drive
   * replays from its seed; a failure reports the batch's seed for `fc` and stops the drive).
   */
  async driveInputs(inputs: number): Promise<HostileFigures> {
    for (let k = 0; this.figures.hostileInputs < inputs && !this.figures.failures.length; k++) {
      await fc.assert(fc.asyncProperty(scenario(16), (sc) => this.play(sc)), { seed: this.figures.seed + k, numRuns: 50, endOnFailure: true }).catch((err: unknown) => {
        this.figures.failures.push(`batch seed ${this.figures.seed + k}: ${String((err as Error).message).slice(0, 2000)}`);
      });
    }
    this.figures.statesHit = this.states.size;
    return this.figures;
  }

  /** Plays one scenario; throws (with what was sent and where) at the first broken promise. */
  async play(sc: Scenario): Promise<void> {
    this.figures.runs++;
    const chatId = uniqueName('hostile');
    const chatKey = Engine.chatKey(CHANNEL, chatId);
    this.delivered.set(chatId, []);
    let seq = 0;
    let last: Outbound[] = [];
    const seen: string[] = [];
    const timeoutMs = this.app.config.TURN_TIMEOUT_SECONDS * 1000;
    try {
      if (sc.member) {
        const m = await memberWithCards(this.app.db, { cards: 2, chatKey });
        await this.app.engine.setSession(CHANNEL, chatId, sessionFor(m, this.app.clock.now().getTime()));
      }
      const send = async (i: Omit<Inbound, 'channel' | 'chatId'>, what: string): Promise<TurnResult> => {
        this.figures.inputs++;
        const before = this.app.logs.lines.length;
        const box = this.delivered.get(chatId)!;
        box.length = 0;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within the turn timeout (${timeoutMs} ms)`)), timeoutMs + 5_000)));
        let r: TurnResult;
        try {
          r = await Promise.race([this.app.engine.handle({ channel: CHANNEL, chatId, messageId: String(++seq), ...i }), late]);
          await this.app.engine.deliver(CHANNEL, chatId);
        } finally {
          clearTimeout(timer);
        }
        const logged = this.app.logs.lines.slice(before).filter((l) => /"msg":"(turn failed|turn timed out)/.test(l));
        if (logged.length) throw new Error(`${what} ${describeInbound(i)}: ${logged.join(' | ').slice(0, 600)}`);
        if (!r.outbound.length && !r.ack && !r.duplicate) throw new Error(`${what} ${describeInbound(i)}: no reply and no button note`);
        const texts = r.outbound.flatMap((o) => (o.kind === 'text' ? [o.text] : []));
        if (texts.some((t) => this.texts.reset.includes(t))) throw new Error(`${what} ${describeInbound(i)}: the conversation was reset (the previous snapshot did not restore)`);
        const record = readRecord(await this.app.store.loadSnapshot(chatKey));
        if (!record) throw new Error(`${what} ${describeInbound(i)}: the stored snapshot does not decode`);
        if (box.length) last = [...box];
        for (const o of box) if ('buttons' in o && o.buttons) seen.push(...o.buttons.flat().map((b) => b.data));
        return r;
      };
      const stateOf = async () => {
        const rec = readRecord(await this.app.store.loadSnapshot(chatKey));
        return JSON.stringify(stepOf(rec?.snapshot));
      };
      await send({ kind: 'command', command: sc.start, arg: '' }, 'start');
      for (const step of sc.steps) {
        const buttons = last.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : []));
        if (step.kind === 'press' && buttons.length) await send({ kind: 'button', data: buttons[step.i % buttons.length]!.data }, 'press');
        else if (step.kind === 'press' || step.kind === 'sample') await send({ kind: 'text', text: SAMPLE_TEXTS[step.i % SAMPLE_TEXTS.length]! }, 'sample');
        else {
          this.states.add(await stateOf());
          this.figures.hostileInputs++;
          const what = step.kind === 'hostile' ? step.what : `old button (${step.tweak})`;
          this.figures.byKind[what] = (this.figures.byKind[what] ?? 0) + 1;
          if (step.kind === 'hostile') await send(step.inbound, what);
          else {
            const data = seen.length ? seen[step.i % seen.length]! : 'none.0';
            const [id, n] = data.split('.');
            const shown = buttons[0]?.data.split('.')[0] ?? 'zz';
            const forged = step.tweak === 'as-is' ? data : step.tweak === 'bad-index' ? `${shown}.${Number(n ?? 0) + 1000}` : `${id}.${step.i % 7}`;
            await send({ kind: 'button', data: forged }, what);
          }
        }
      }
      const r = await send({ kind: 'command', command: 'menu', arg: '' }, 'the closing /menu');
      const texts = r.outbound.flatMap((o) => (o.kind === 'text' ? [o.text] : []));
      const dashboard = texts.some((t) => this.texts.memberMenu.some((m) => t.startsWith(m)) || this.texts.guestMenu.includes(t));
      if (!dashboard) throw new Error(`the closing /menu did not answer with the dashboard: ${JSON.stringify(texts).slice(0, 400)}`);
    } catch (err) {
      const why = `run ${this.figures.runs} (${sc.member ? 'member' : 'guest'}, /${sc.start}): ${(err as Error).message}`;
      this.figures.failures.push(why);
      throw new Error(why);
    } finally {
      this.delivered.delete(chatId);
    }
  }
}
