import type { Lang } from '../../flows/shared/protocol.js';
import type { App } from '../app/app.js';
import { dispatchNotices } from '../app/notices.js';
import { decode } from '../engine/codec.js';
import type { BotMessage, ChatHandle, Driver, Transcript } from './drivers/driver.js';
import type { TextExpectation } from './format.js';
import { captureFrom, matchText, type Mismatch } from './match.js';
import { interpolate, interpolateDeep, type Vars } from './vars.js';
import type { SinkMail } from './mail-sink.js';
import type { ScriptWorld } from './world.js';
import type { ScriptSlack } from './slack/desk.js';

/** A failed expectation; the runner turns it into a {@link StepFailure}. */
export class ExpectationError extends Error {
  constructor(message: string, readonly expected?: string, readonly actual?: string) {
    super(message);
  }
}

/** Fails the step with a message and what was expected vs what happened. */
export function fail(m: Mismatch | string, expected?: string, actual?: string): never {
  if (typeof m === 'string') throw new ExpectationError(m, expected, actual);
  throw new ExpectationError(m.message, m.expected, m.actual);
}

/**
 * The state a script's steps share: the script's app (through its world), the channel driver, the
 * person acting now, variables, the e-mails already read (by the id the transport saw), and the transcript.
 */
export class ScriptContext {
  world!: ScriptWorld;
  driver!: Driver;
  current!: ChatHandle;
  readonly mailSeen = new Set<string>();
  /** The script's Slack, when it uses any (`slack:` / `slack-expect:` steps, `agents:`). */
  slack?: ScriptSlack;

  constructor(readonly vars: Vars, readonly transcript: Transcript) {}

  get app(): App {
    return this.world.app;
  }

  /** Interpolates `${name}` variables. */
  t(text: string): string {
    return interpolate(text, this.vars);
  }

  /** Sets captured values as variables. */
  capture(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.vars.set(k, v);
  }

  /** The current chat's language, as its stored conversation says (English until set). */
  async lang(): Promise<Lang> {
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
  async next(what: string): Promise<BotMessage> {
    await this.driver.settle();
    if (!this.current.inbox.length) {
      await this.deliverNotices();
    }
    const m = this.current.inbox.shift();
    if (!m) fail(`no reply from the bot (expected ${what})`, what, '(nothing more)');
    return m;
  }

  /** Delivers pending chat notices and waits for the channel to settle. */
  async deliverNotices(): Promise<void> {
    await dispatchNotices(this.app);
    await this.driver.settle();
  }

  /** Checks a message against an expectation and captures its variables. */
  async checkText(m: BotMessage, e: TextExpectation): Promise<void> {
    const ex = interpolateDeep(e, this.vars);
    const mm = matchText(m, ex, { catalogue: this.app.catalogue, lang: await this.lang() });
    if (mm) fail(mm);
    const cap = captureFrom([m.text], e.capture);
    if (cap.missing) fail(`could not capture \${${cap.missing.name}}`, `/${cap.missing.pattern}/`, JSON.stringify(m.text));
    this.capture(cap.values);
  }

  /** Later steps are this person, in their own chat. */
  async switchTo(name: string): Promise<void> {
    this.current = await this.driver.chat(this.t(name));
  }

  /** Every e-mail the script's apps sent, as the transport received them, oldest first (queued ones are sent first). */
  mails(): Promise<SinkMail[]> {
    return this.world.mail.deliver(this.app);
  }

}
