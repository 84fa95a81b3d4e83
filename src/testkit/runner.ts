import type { FlowEntry } from '../../flows/index.js';
import type { Lang } from '../../flows/shared/protocol.js';
import type { App } from '../app/app.js';
import { dispatchNotices } from '../app/notices.js';
import { runCli } from '../cli/program.js';
import { decode } from '../engine/codec.js';
import '../cli/commands.js';
import { splitArgs } from './args.js';
import type { BotMessage, ChatHandle, Driver, Transcript } from './drivers/driver.js';
import { describeMessage } from './drivers/driver.js';
import { applyFixture } from './fixtures.js';
import type { ChannelName, Script, Step, TextExpectation } from './format.js';
import { captureFrom, matchText, type Mismatch } from './match.js';
import { loadScripts } from './parse.js';
import { confirmPayment } from './payments.js';
import { interpolate, interpolateDeep, jsonPath, type Vars } from './vars.js';
import { ScriptWorld, isolationFromEnv, type Isolation } from './world.js';

/** How to run scripts. */
export interface RunOptions {
  /** Channel to run on (default `inprocess`). */
  channel?: ChannelName;
  /** Where each script's own database and store live (default: from DATABASE_URL / REDIS_URL, else embedded). */
  isolation?: Isolation;
  /** Longest one step may take (default 30 s). */
  stepTimeoutMs?: number;
  /** Run only the script with this name (a file may hold several). */
  name?: string;
  /** Extra flows for the script's app (the runner's own tests). */
  flows?: FlowEntry[];
  /** Called with each app the script opens (at the start and after every restart). */
  onApp?: (app: App) => void;
}

/** Why a script failed: the step, what was expected, what happened. */
export interface StepFailure {
  /** 1-based step number. */
  step: number;
  line: number;
  kind: Step['kind'] | 'setup';
  message: string;
  expected?: string;
  actual?: string;
}

/** The outcome of one script on one channel. */
export interface ScriptResult {
  name: string;
  file: string;
  channel: ChannelName;
  status: 'passed' | 'failed' | 'skipped';
  /** Steps that passed. */
  passedSteps: number;
  totalSteps: number;
  failure?: StepFailure;
  skipReason?: string;
  transcript: Transcript;
  ms: number;
}

/** A failed expectation; the runner turns it into a {@link StepFailure}. */
class ExpectationError extends Error {
  constructor(message: string, readonly expected?: string, readonly actual?: string) {
    super(message);
  }
}

function fail(m: Mismatch | string, expected?: string, actual?: string): never {
  if (typeof m === 'string') throw new ExpectationError(m, expected, actual);
  throw new ExpectationError(m.message, m.expected, m.actual);
}

/** Creates the driver for a channel (loaded on demand so the Telegram parts load only when used). */
async function createDriver(channel: ChannelName, transcript: Transcript, idPrefix: string): Promise<Driver> {
  switch (channel) {
    case 'inprocess': {
      const { InProcessDriver } = await import('./drivers/inprocess.js');
      return new InProcessDriver(transcript, idPrefix);
    }
    case 'console': {
      const { ConsoleDriver } = await import('./drivers/console.js');
      return new ConsoleDriver(transcript, idPrefix);
    }
    case 'telegram': {
      const { TelegramDriver } = await import('./drivers/telegram.js');
      return new TelegramDriver(transcript);
    }
  }
}

/** Runs every script of every file; one result per script. */
export async function runFiles(files: string[], opts: RunOptions = {}): Promise<ScriptResult[]> {
  const results: ScriptResult[] = [];
  for (const file of files) {
    for (const script of loadScripts(file)) {
      if (opts.name && script.name !== opts.name) continue;
      results.push(await runScript(script, opts));
    }
  }
  return results;
}

/** Runs one script (a parsed one, or the only/named script of a file). Never throws for a failing script. */
export async function runScript(script: Script | string, opts: RunOptions = {}): Promise<ScriptResult> {
  if (typeof script === 'string') {
    const all = loadScripts(script).filter((s) => !opts.name || s.name === opts.name);
    if (all.length !== 1) throw new Error(`${script}: ${all.length} scripts${opts.name ? ` named "${opts.name}"` : ''}; pass { name } to pick one`);
    script = all[0]!;
  }
  const channel = opts.channel ?? 'inprocess';
  const started = Date.now();
  const transcript: Transcript = [];
  const base = { name: script.name, file: script.file, channel, transcript, totalSteps: script.steps.length };
  if (!script.channels.includes(channel)) {
    return { ...base, status: 'skipped', passedSteps: 0, skipReason: `this script runs on ${script.channels.join(', ')}`, ms: 0 };
  }
  const run = new ScriptRun(script, channel, opts, transcript);
  const failure = await run.execute();
  return { ...base, status: failure ? 'failed' : 'passed', passedSteps: run.passed, ...(failure ? { failure } : {}), ms: Date.now() - started };
}

/** The state of one script being run. */
class ScriptRun {
  passed = 0;
  private world!: ScriptWorld;
  private driver!: Driver;
  private current!: ChatHandle;
  private readonly vars: Vars;
  private readonly mailSeen = new Set<string>();

  constructor(
    private readonly script: Script,
    private readonly channel: ChannelName,
    private readonly opts: RunOptions,
    private readonly transcript: Transcript,
  ) {
    this.vars = new Map(Object.entries(script.vars));
  }

  private get app(): App {
    return this.world.app;
  }

  async execute(): Promise<StepFailure | undefined> {
    const idPrefix = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    let channelEnv: Record<string, string> = {};
    try {
      this.driver = await createDriver(this.channel, this.transcript, idPrefix);
      channelEnv = (await this.driver.prepare?.()) ?? {};
      this.world = await ScriptWorld.open(this.opts.isolation ?? isolationFromEnv(), { ...channelEnv, ...this.script.env }, { ...(this.opts.flows ? { flows: this.opts.flows } : {}), ...(this.opts.onApp ? { onApp: this.opts.onApp } : {}) });
    } catch (err) {
      await this.driver?.close?.().catch(() => undefined);
      return { step: 0, line: 0, kind: 'setup', message: `could not start the script's channel, database or store: ${(err as Error).message}` };
    }
    try {
      try {
        await this.driver.attach(this.app);
        const firstName = this.script.fixture?.member?.username ?? 'user';
        this.current = await this.driver.chat(firstName);
        if (this.script.fixture) {
          const vars = await applyFixture(this.app, this.script.fixture, { channel: this.driver.engineChannel, chatId: this.current.chatId });
          for (const [k, v] of Object.entries(vars)) if (!this.vars.has(k)) this.vars.set(k, v);
          // A member with a language: the chat speaks it, as after their own log-in.
          const lang = this.script.fixture.member?.lang;
          if (lang && this.script.fixture.member?.loggedIn !== false) {
            await this.current.send(`/language ${lang}`);
            this.current.inbox.length = 0;
          }
          // E-mails the fixture caused (card enrolled …) are not the script's to check.
          for (const m of await this.mails()) this.mailSeen.add(m.id);
          this.transcript.push(`(fixture: ${Object.entries(vars).filter(([k]) => !/password|pin/i.test(k)).map(([k, v]) => `${k}=${v}`).join(', ')})`);
        }
      } catch (err) {
        return { step: 0, line: 0, kind: 'setup', message: `set-up failed: ${(err as Error).message}` };
      }
      for (const [i, step] of this.script.steps.entries()) {
        try {
          await this.withTimeout(this.step(step), step);
          this.passed++;
        } catch (err) {
          const e = err as ExpectationError;
          return {
            step: i + 1,
            line: step.line,
            kind: step.kind,
            message: e.message,
            ...(e.expected !== undefined ? { expected: e.expected } : {}),
            ...(e.actual !== undefined ? { actual: e.actual } : {}),
          };
        }
      }
      return undefined;
    } finally {
      await this.driver.detach().catch(() => undefined);
      await this.world.close().catch(() => undefined);
      await this.driver.close?.().catch(() => undefined);
    }
  }

  private async withTimeout(p: Promise<void>, step: Step): Promise<void> {
    const ms = this.opts.stepTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new ExpectationError(`step "${step.kind}" did not finish within ${ms} ms`)), ms)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  private t(text: string): string {
    return interpolate(text, this.vars);
  }

  private capture(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.vars.set(k, v);
  }

  /** The current chat's language, as its stored conversation says (English until set). */
  private async lang(): Promise<Lang> {
    const stored = await this.app.store.loadSnapshot(`${this.driver.engineChannel}:${this.current.chatId}`);
    if (!stored) return 'en';
    try {
      const rec = decode<{ snapshot?: { context?: { lang?: Lang } } }>(stored.data);
      return rec.snapshot?.context?.lang ?? 'en';
    } catch {
      return 'en';
    }
  }

  /** The next bot message of the current chat; delivers pending notices first if there is none. */
  private async next(what: string): Promise<BotMessage> {
    await this.driver.settle();
    if (!this.current.inbox.length) {
      await this.deliverNotices();
    }
    const m = this.current.inbox.shift();
    if (!m) fail(`no reply from the bot (expected ${what})`, what, '(nothing more)');
    return m;
  }

  private async deliverNotices(): Promise<void> {
    await dispatchNotices(this.app);
    await this.driver.settle();
  }

  private async checkText(m: BotMessage, e: TextExpectation): Promise<void> {
    const ex = interpolateDeep(e, this.vars);
    const mm = matchText(m, ex, { catalogue: this.app.catalogue, lang: await this.lang() });
    if (mm) fail(mm);
    const cap = captureFrom([m.text], e.capture);
    if (cap.missing) fail(`could not capture \${${cap.missing.name}}`, `/${cap.missing.pattern}/`, JSON.stringify(m.text));
    this.capture(cap.values);
  }

  private async step(step: Step): Promise<void> {
    if (step.as !== undefined && step.kind !== 'join') await this.switchTo(step.as);
    switch (step.kind) {
      case 'join':
        return this.switchTo(step.who);
      case 'send':
        this.current.inbox.length = 0;
        return this.current.send(this.t(step.text));
      case 'press':
        this.current.inbox.length = 0;
        try {
          return await this.current.press(this.t(step.label));
        } catch (err) {
          const labels = this.current.offered().flat();
          return fail((err as Error).message, `a button ${JSON.stringify(this.t(step.label))}`, labels.length ? `buttons ${JSON.stringify(labels)}` : 'no buttons on offer');
        }
      case 'expect': {
        const m = await this.next('a message');
        if (m.kind !== 'text') fail(`expected a text message, got ${m.kind === 'image' ? 'an image' : 'a file'}`, 'text', describeMessage(m));
        return this.checkText(m, step.expect);
      }
      case 'image': {
        const m = await this.next('an image');
        if (m.kind !== 'image') fail('expected an image', 'an image', describeMessage(m));
        return this.checkText(m, step.expect);
      }
      case 'file': {
        const m = await this.next('a file');
        if (m.kind !== 'file' || !m.file) return fail('expected a file', 'a file', describeMessage(m));
        if (step.name !== undefined && !globMatch(this.t(step.name), m.file.name)) fail('the file name differs', this.t(step.name), m.file.name);
        if (step.contains !== undefined) {
          const body = m.file.content.toString('utf8');
          const want = this.t(step.contains);
          if (!body.includes(want)) fail(`the file does not contain ${JSON.stringify(want)}`, `contains ${JSON.stringify(want)}`, JSON.stringify(body.slice(0, 400)));
        }
        return this.checkText(m, step.expect);
      }
      case 'buttons': {
        await this.driver.settle();
        const offered = this.current.offered().flat();
        const want = step.labels.map((l) => this.t(l));
        if (step.exact ? JSON.stringify(offered) !== JSON.stringify(want) : want.some((w) => !offered.includes(w))) {
          fail(`the buttons on offer differ`, `${step.exact ? 'exactly' : 'including'} ${JSON.stringify(want)}`, JSON.stringify(offered));
        }
        return;
      }
      case 'deleted':
        await this.driver.settle();
        if (!this.current.lastInputDeleted()) fail('the last message was not deleted', 'the message removed from the chat', 'still in the chat');
        return;
      case 'no-reply': {
        await this.deliverNotices();
        const left = this.current.inbox.splice(0);
        if (left.length) fail('the bot said more than expected', 'no more replies', left.map(describeMessage).join(' / '));
        return;
      }
      case 'email':
        return this.email(step.expect);
      case 'no-email': {
        const to = step.to !== undefined ? this.t(step.to) : undefined;
        const unseen = (await this.mails()).filter((m) => !this.mailSeen.has(m.id) && (!to || m.to.toLowerCase() === to.toLowerCase()));
        if (unseen.length) fail('an e-mail was sent', 'no e-mail', unseen.map((m) => `${m.to}: ${m.subject}`).join(' / '));
        return;
      }
      case 'advance':
        this.world.clock.advance(step.ms);
        this.transcript.push(`(clock advanced ${step.text})`);
        return;
      case 'restart':
        await this.driver.detach();
        await this.world.restart();
        await this.driver.attach(this.app);
        this.transcript.push('(restarted)');
        return;
      case 'cli':
        return this.cli(step);
      case 'confirm-payment': {
        const ref = this.t(step.reference);
        this.current.inbox.length = 0;
        try {
          await confirmPayment(this.app, ref, step.outcome);
        } catch (err) {
          fail(`confirm-payment ${ref}: ${(err as Error).message}`);
        }
        this.transcript.push(`(payment ${ref} ${step.outcome})`);
        return this.deliverNotices();
      }
      case 'set':
        for (const [k, v] of Object.entries(step.vars)) this.vars.set(k, this.t(v));
        return;
      case 'logs-exclude':
        for (const v of step.values.map((x) => this.t(x))) {
          const line = this.world.logs.lines.find((l) => l.includes(v));
          if (line) fail('a secret reached the logs', `no log line containing the value of ${JSON.stringify(step.values.find((x) => this.t(x) === v))}`, '(a log line contains it; not shown)');
        }
        return;
      case 'slack':
        fail('slack steps are not supported yet (they arrive with the Slack support issue)');
    }
  }

  private async switchTo(name: string): Promise<void> {
    this.current = await this.driver.chat(this.t(name));
  }

  private async mails() {
    return this.app.db.prisma.outbox.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  private async email(e0: Step & { kind: 'email' } extends { expect: infer E } ? E : never): Promise<void> {
    const e = interpolateDeep({ to: e0.to, subject: e0.subject, body: e0.body }, this.vars);
    const all = await this.mails();
    const unseen = all.filter((m) => !this.mailSeen.has(m.id));
    const candidates = e.to ? unseen.filter((m) => m.to.toLowerCase() === e.to!.toLowerCase()) : unseen;
    const summary = unseen.map((m) => `${m.to}: ${m.subject}`).join(' / ') || '(no unread e-mail)';
    // With a subject, the first unread e-mail with that subject (others stay unread); else the next one.
    const mail = e.subject !== undefined ? (candidates.find((m) => m.subject.includes(e.subject!)) ?? candidates[0]) : candidates[0];
    if (!mail) return fail(`no e-mail${e.to ? ` to ${e.to}` : ''}`, `an e-mail${e.to ? ` to ${e.to}` : ''}`, summary);
    this.mailSeen.add(mail.id);
    this.transcript.push(`mail → ${mail.to}: ${mail.subject}`);
    if (e.subject !== undefined && !mail.subject.includes(e.subject)) fail('the e-mail subject differs', `subject containing ${JSON.stringify(e.subject)}`, JSON.stringify(mail.subject));
    for (const b of e.body === undefined ? [] : Array.isArray(e.body) ? e.body : [e.body]) {
      if (!mail.text.includes(b)) fail(`the e-mail body does not contain ${JSON.stringify(b)}`, `body containing ${JSON.stringify(b)}`, JSON.stringify(mail.text.slice(0, 600)));
    }
    const cap = captureFrom([mail.text, mail.subject], e0.capture);
    if (cap.missing) fail(`could not capture \${${cap.missing.name}} from the e-mail`, `/${cap.missing.pattern}/`, JSON.stringify(mail.text.slice(0, 600)));
    this.capture(cap.values);
  }

  private async cli(step: Step & { kind: 'cli' }): Promise<void> {
    const command = this.t(step.command);
    // Like the person acting, the operator acting leaves unchecked replies behind.
    this.current.inbox.length = 0;
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(splitArgs(command), { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, app: async () => this.app });
    // The operator's output may hold secrets (a PIN mailer): the transcript shows the command only.
    this.transcript.push(`operator $ omnipay ${command}  → exit ${code}`);
    if (code !== step.exit) fail(`the command exited with ${code}`, `exit ${step.exit}`, `exit ${code}: ${err.join(' ') || out.join(' ').slice(0, 300)}`);
    const text = out.join('\n');
    if (step.expect) {
      const mm = matchText({ kind: 'text', text: `${text}\n${err.join('\n')}`.trim(), buttons: [] }, interpolateDeep(step.expect, this.vars), { catalogue: this.app.catalogue, lang: 'en' });
      if (mm) fail(mm);
    }
    const json = parseJson(text);
    for (const [name, path] of Object.entries(step.capture)) {
      const v = json !== undefined ? jsonPath(json, path) : captureFrom([text], { [name]: path }).values[name];
      if (v === undefined) fail(`could not capture \${${name}} from the command's output`, json !== undefined ? `a value at ${path}` : `/${path}/`, json !== undefined ? `keys ${Object.keys(json as object).join(', ')}` : '(output not shown)');
      this.vars.set(name, v!);
    }
    await this.deliverNotices();
  }
}

/** The JSON a command printed: the whole output, or its last line. */
function parseJson(text: string): unknown {
  for (const candidate of [text, text.trim().split('\n').at(-1) ?? '']) {
    try {
      return JSON.parse(candidate);
    } catch {
      // not JSON
    }
  }
  return undefined;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}
