import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config/config.js';
import { openApp, type App, type AppOverrides } from '../../src/app/app.js';
import { AdjustableClock } from '../../src/lib/clock.js';
import type { Inbound, Outbound, TurnResult } from '../../src/engine/types.js';
import { testDatabase, testStore, uniqueName, type DbKind, type StoreKind } from './db.js';

/** Every log line written during a test, for asserting that no secret reached a log. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** A test app on the given database and store kinds, with an adjustable clock and captured logs. */
export interface TestApp extends App {
  clock: AdjustableClock;
  logs: LogCapture;
}

/** Opens an app for a test. `env` adds variables (e.g. CAPTCHA_TEST_ANSWER). */
export async function testApp(kinds: { db: DbKind; store: StoreKind }, env: Record<string, string> = {}, o: AppOverrides = {}): Promise<TestApp> {
  const db = await testDatabase(kinds.db);
  const store = await testStore(kinds.store, db);
  const logs = new LogCapture();
  const clock = new AdjustableClock();
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: `/tmp/omnipay-test/${uniqueName('data')}`,
    APP_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    LOG_LEVEL: 'debug',
    CAPTCHA_TEST_ANSWER: 'TEST42',
    SANDBOX_PAYMENT_DELAY_SECONDS: '0',
    ...env,
  });
  const app = await openApp(config, { db, store, clock, logDestination: logs, quietMetrics: true, ...o });
  app.onClose(() => db.close());
  app.onClose(() => store.close());
  return Object.assign(app, { clock, logs });
}

/** The test chats of each app, by channel and chat id: the outbound queue delivers to them. */
const chatsOf = new WeakMap<App, Map<string, TestChat>>();

/**
 * What a test sees of one chat: send text, commands, press buttons by label. Replies reach it the
 * way they reach any chat: queued by the turn, then delivered by the engine's deliverer to the
 * sender this class registers for its channel.
 */
export class TestChat {
  private last: Outbound[] = [];
  private incoming: Outbound[] = [];
  private seq = 0;
  readonly transcript: string[] = [];
  /** Every text delivered to this chat so far (turn replies and notices), in order. */
  readonly delivered: string[] = [];

  constructor(readonly app: App, readonly chatId = uniqueName('chat'), readonly channel = 'test') {
    let chats = chatsOf.get(app);
    if (!chats) chatsOf.set(app, (chats = new Map()));
    if (![...chats.values()].some((c) => c.channel === channel)) {
      const all = chats;
      app.engine.delivery.setSender(channel, async (chatId, outbound) => all.get(`${channel}:${chatId}`)?.receive(outbound));
    }
    chats.set(`${channel}:${chatId}`, this);
  }

  private receive(outbound: Outbound[]): void {
    this.incoming.push(...outbound);
    for (const o of outbound) {
      this.transcript.push(o.kind === 'text' ? o.text : `[${o.kind}]`);
      if (o.kind === 'text') this.delivered.push(o.text);
    }
  }

  private async go(i: Omit<Inbound, 'channel' | 'chatId'>): Promise<TurnResult> {
    this.incoming = [];
    const r = await this.app.engine.handle({ channel: this.channel, chatId: this.chatId, messageId: String(++this.seq), ...i });
    await this.app.engine.deliver(this.channel, this.chatId);
    this.last = this.incoming;
    return r;
  }

  /** Sends text (or `/command arg`). */
  send(text: string): Promise<TurnResult> {
    const m = /^\/(\w+)(?:\s+(.*))?$/.exec(text.trim());
    if (m) return this.go({ kind: 'command', command: m[1]!, arg: m[2] ?? '' });
    return this.go({ kind: 'text', text });
  }

  /** Presses the button with this label (exact, or containing it) on the latest replies. */
  press(label: string): Promise<TurnResult> {
    const buttons = this.last.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : []));
    const b = buttons.find((x) => x.label === label) ?? buttons.find((x) => x.label.includes(label));
    if (!b) throw new Error(`no button "${label}" in: ${buttons.map((x) => x.label).join(' | ') || '(none)'}`);
    return this.go({ kind: 'button', data: b.data });
  }

  /** Presses raw button data (e.g. an old, expired one). */
  pressData(data: string): Promise<TurnResult> {
    return this.go({ kind: 'button', data });
  }

  /** The texts of the latest replies. */
  get texts(): string[] {
    return this.last.flatMap((o) => (o.kind === 'text' ? [o.text] : 'caption' in o && o.caption ? [o.caption] : []));
  }

  /** The latest replies. */
  get replies(): Outbound[] {
    return this.last;
  }

  /** Labels of the latest buttons. */
  get buttons(): string[] {
    return this.last.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat().map((b) => b.label) : []));
  }
}
