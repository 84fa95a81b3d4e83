import type { App as BoltApp } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { FlowEntry } from '../../flows/index.js';
import type { App } from '../app/app.js';
import { ExpectationError, ScriptContext } from './context.js';
import type { Driver, Transcript } from './drivers/driver.js';
import { applyFixture } from './fixtures.js';
import type { ChannelName, Script, Step } from './format.js';
import { loadScripts } from './parse.js';
import { runStep } from './steps.js';
import { ScriptWorld, isolationFromEnv, type Isolation } from './world.js';
import { DEFAULT_AGENTS, ScriptSlack, usesSlack } from './slack/desk.js';

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
  /** Extra Bolt listeners on the script's Slack app (the runner's own tests of the Slack steps). */
  slackSetup?: (bolt: BoltApp) => void;
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
  private readonly c: ScriptContext;

  constructor(
    private readonly script: Script,
    private readonly channel: ChannelName,
    private readonly opts: RunOptions,
    transcript: Transcript,
  ) {
    this.c = new ScriptContext(new Map(Object.entries(script.vars)), transcript);
  }

  async execute(): Promise<StepFailure | undefined> {
    const idPrefix = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    let channelEnv: Record<string, string> = {};
    try {
      this.c.driver = await createDriver(this.channel, this.c.transcript, idPrefix);
      channelEnv = (await this.c.driver.prepare?.()) ?? {};
      if (usesSlack(this.script)) {
        this.c.slack = new ScriptSlack(this.script.agents ?? { ...DEFAULT_AGENTS }, this.c.transcript, this.opts.slackSetup);
        channelEnv = { ...channelEnv, ...(await this.c.slack.prepare()) };
      }
      this.c.world = await ScriptWorld.open(this.opts.isolation ?? isolationFromEnv(), { ...channelEnv, ...this.script.env }, { ...(this.opts.flows ? { flows: this.opts.flows } : {}), ...(this.opts.onApp ? { onApp: this.opts.onApp } : {}) });
    } catch (err) {
      await this.c.driver?.close?.().catch(() => undefined);
      await this.c.slack?.close().catch(() => undefined);
      return { step: 0, line: 0, kind: 'setup', message: `could not start the script's channel, database or store: ${(err as Error).message}` };
    }
    // Days as a person types them (mm/dd/yyyy, the operator's zone), as of the script's start.
    const day = DateTime.fromJSDate(this.c.app.clock.now()).setZone(this.c.app.config.OPERATOR_TIMEZONE);
    for (const [k, v] of [['today', day], ['firstOfMonth', day.startOf('month')]] as const) if (!this.c.vars.has(k)) this.c.vars.set(k, v.toFormat('MM/dd/yyyy'));
    try {
      try {
        await this.c.driver.attach(this.c.app);
        await this.c.slack?.attach(this.c.app);
        const firstName = this.script.fixture?.member?.username ?? 'user';
        this.c.current = await this.c.driver.chat(firstName);
        if (this.script.fixture) {
          const vars = await applyFixture(this.c.app, this.script.fixture, { channel: this.c.driver.engineChannel, chatId: this.c.current.chatId });
          for (const [k, v] of Object.entries(vars)) if (!this.c.vars.has(k)) this.c.vars.set(k, v);
          // A member with a language: the chat speaks it, as after their own log-in.
          const lang = this.script.fixture.member?.lang;
          if (lang && this.script.fixture.member?.loggedIn !== false) {
            await this.c.current.send(`/language ${lang}`);
            this.c.current.inbox.length = 0;
          }
          // E-mails the fixture caused (card enrolled …) are not the script's to check.
          for (const m of await this.c.mails()) this.c.mailSeen.add(m.id);
          this.c.transcript.push(`(fixture: ${Object.entries(vars).filter(([k]) => !/password|pin/i.test(k)).map(([k, v]) => `${k}=${v}`).join(', ')})`);
        }
      } catch (err) {
        return { step: 0, line: 0, kind: 'setup', message: `set-up failed: ${(err as Error).message}` };
      }
      for (const [i, step] of this.script.steps.entries()) {
        try {
          await this.withTimeout(runStep(this.c, step), step);
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
      // Slack refuses a whole message that breaks a Block Kit limit: every payload the script caused is checked.
      const over = this.c.slack?.limitViolations() ?? [];
      if (over.length) return { step: this.script.steps.length, line: 0, kind: 'slack', message: 'a Slack payload breaks Block Kit limits', actual: JSON.stringify(over).slice(0, 600) };
      return undefined;
    } finally {
      await this.c.slack?.detach().catch(() => undefined);
      await this.c.driver.detach().catch(() => undefined);
      await this.c.world.close().catch(() => undefined);
      await this.c.driver.close?.().catch(() => undefined);
      await this.c.slack?.close().catch(() => undefined);
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
}
