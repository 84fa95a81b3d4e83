import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { now, sleep } from './http.js';
import { FakeBotServer } from './server.js';
import type { FakeButton, FakeCall, FakeMessage, FakeTelegramOptions, FakeUpdate, FakeUserOptions } from './types.js';

export type { FakeButton, FakeCall, FakeMessage, FakeTelegramOptions, FakeUpdate, FakeUserOptions } from './types.js';

/**
 * A local fake of the Telegram Bot API for tests: grammY's real HTTP client talks to it through
 * `TELEGRAM_API_ROOT` (grammY's `client.apiRoot`). It keeps chats and messages like Telegram does,
 * serves `getUpdates` (long polling, offsets, 409 conflicts) and pushes updates to a webhook (with
 * the secret header), records every call, and lets a test play the user (`userSays`, `press`) and
 * inject failures (429 with `retry_after`, any error for the next N calls of a method).
 */
export class FakeTelegram extends FakeBotServer {
  private server!: Server;
  /** TCP connections clients opened to the fake so far (a client that keeps connections opens few). */
  opened = 0;
  private port = 0;
  private callbackSeq = 1;

  /** Starts a fake on 127.0.0.1 at a random port. */
  static async start(o: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(o);
    fake.server = createServer((req, res) => void fake.serve(req, res));
    // Like Telegram, connections are kept: a short hint (Node clients drop a socket one second
    // before the server would) would make every call open a new connection.
    fake.server.keepAliveTimeout = 65_000;
    fake.server.on('connection', () => fake.opened++);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', () => resolve()));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The value for `TELEGRAM_API_ROOT`. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Environment variables that point an app at this fake (polling mode). */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { TELEGRAM_BOT_TOKEN: this.token, TELEGRAM_API_ROOT: this.apiRoot, ...extra };
  }

  // ---------------------------------------------------------------- the user's side

  /** The user sends `text` (a `/command` gets a bot_command entity). Returns the update. */
  userSays(chatId: number, text: string, o: FakeUserOptions = {}): FakeUpdate {
    const chat = this.chat(chatId, o);
    const msg: FakeMessage = { messageId: chat.nextId++, chatId, from: 'user', kind: 'text', text, deleted: false, edits: 0, date: now() };
    chat.messages.push(msg);
    const cmd = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
    const message = { ...this.messageJson(msg), from: this.userJson(chatId), ...(cmd ? { entities: [{ type: 'bot_command', offset: 0, length: cmd[0].length }] } : {}) };
    return this.enqueue({ message });
  }

  /** The user sends a photo, sticker, voice message or document (photos and documents may carry a caption). Returns the update. */
  userSendsMedia(chatId: number, media: 'photo' | 'sticker' | 'voice' | 'document', caption?: string): FakeUpdate {
    const chat = this.chat(chatId);
    const msg: FakeMessage = { messageId: chat.nextId++, chatId, from: 'user', kind: 'text', deleted: false, edits: 0, date: now() };
    chat.messages.push(msg);
    const body = media === 'photo' ? { photo: [{ file_id: `ph${msg.messageId}`, file_unique_id: `u${msg.messageId}`, width: 90, height: 90 }] }
      : media === 'sticker' ? { sticker: { file_id: `st${msg.messageId}`, file_unique_id: `u${msg.messageId}`, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }
        : media === 'voice' ? { voice: { file_id: `vo${msg.messageId}`, file_unique_id: `u${msg.messageId}`, duration: 2 } }
          : { document: { file_id: `do${msg.messageId}`, file_unique_id: `u${msg.messageId}`, file_name: 'scan.pdf' } };
    const { text: _text, ...json } = this.messageJson(msg) as Record<string, unknown>;
    return this.enqueue({ message: { ...json, from: this.userJson(chatId), ...body, ...(caption !== undefined && (media === 'photo' || media === 'document') ? { caption } : {}) } });
  }

  /** The user presses the button labelled `label` (exact, else containing it) on the chat's latest keyboard. */
  press(chatId: number, label: string): FakeUpdate {
    const chat = this.chat(chatId);
    const withKeyboard = chat.messages.filter((m) => m.from === 'bot' && !m.deleted && m.keyboard?.length);
    for (const m of withKeyboard.reverse()) {
      const flat = m.keyboard!.flat();
      const b = flat.find((x) => x.text === label) ?? flat.find((x) => x.text.includes(label));
      if (b?.callback_data !== undefined) return this.pressData(chatId, m.messageId, b.callback_data);
    }
    const labels = this.keyboard(chatId).flat().map((b) => b.text);
    throw new Error(`no button "${label}" in chat ${chatId}; latest keyboard: ${labels.join(' | ') || '(none)'}`);
  }

  /**
   * The user presses a button with this data on message `messageId` (old screens too).
   * `fromUserId`: the press comes from another Telegram user than the chat's (a crafted update).
   */
  pressData(chatId: number, messageId: number, data: string, o: { fromUserId?: number } = {}): FakeUpdate {
    const chat = this.chat(chatId);
    const msg = chat.messages.find((m) => m.messageId === messageId);
    if (!msg) throw new Error(`no message ${messageId} in chat ${chatId}`);
    const id = String(this.callbackSeq++);
    this.callbacks.set(id, { answered: false });
    return this.enqueue({
      callback_query: { id, from: { ...this.userJson(chatId), ...(o.fromUserId !== undefined ? { id: o.fromUserId } : {}) }, message: { ...this.messageJson(msg), from: this.botJson() }, chat_instance: `ci${chatId}`, data },
    });
  }

  /** Queues an update as it is (again): Telegram redelivers updates after failures or restarts. */
  redeliver(update: FakeUpdate, times = 1): void {
    for (let i = 0; i < times; i++) this.pending.push(structuredClone(update));
    this.wake();
  }

  /** Labels of the latest inline keyboard the bot showed in a chat (not deleted), by rows. */
  keyboard(chatId: number): FakeButton[][] {
    const m = this.chat(chatId).messages.filter((x) => x.from === 'bot' && !x.deleted && x.keyboard?.length).at(-1);
    return m?.keyboard ?? [];
  }

  /** Button labels of the latest keyboard. */
  labels(chatId: number): string[] {
    return this.keyboard(chatId).flat().map((b) => b.text);
  }

  /** Every message of a chat, in order (deleted ones flagged). */
  messages(chatId: number): FakeMessage[] {
    return this.chat(chatId).messages;
  }

  /** The bot's messages in a chat that are still visible. */
  visible(chatId: number): FakeMessage[] {
    return this.chat(chatId).messages.filter((m) => m.from === 'bot' && !m.deleted);
  }

  /** The text (or caption) of every bot message sent so far in a chat, in order. */
  botTexts(chatId: number): string[] {
    return this.chat(chatId).messages.filter((m) => m.from === 'bot').map((m) => m.text ?? m.caption ?? `[${m.kind}]`);
  }

  /**
   * Waits for the next message the bot sends to this chat (after what this or `waitForBot` returned
   * last). Edits are skipped; `waitForBot` sees them.
   */
  async nextBotMessage(chatId: number, timeoutMs = 10_000): Promise<FakeMessage> {
    const chat = this.chat(chatId);
    const nextSend = () => chat.events.findIndex((e, i) => i >= chat.cursor && e.type === 'send');
    await this.until(() => nextSend() >= 0, timeoutMs, `a bot message in chat ${chatId}`);
    const i = nextSend();
    chat.cursor = i + 1;
    return chat.events[i]!.message;
  }

  /**
   * Waits until the bot sends a message, or edits one, so that it matches (its text or caption
   * contains `match`, or the predicate holds); returns that message as it is now. Screens a button
   * press replaced in place (edits) count, so a test need not know which way the bot answered.
   */
  async waitForBot(chatId: number, match: string | ((m: FakeMessage) => boolean), timeoutMs = 10_000): Promise<FakeMessage> {
    const pred = typeof match === 'string' ? (m: FakeMessage) => (m.text ?? m.caption ?? '').includes(match) : match;
    const chat = this.chat(chatId);
    const found = () => chat.events.findIndex((e, i) => i >= chat.cursor && !e.message.deleted && pred(e.message));
    await this.until(() => found() >= 0, timeoutMs, `a bot message in chat ${chatId}`).catch((err: Error) => {
      throw new Error(`${err.message}; wanted ${typeof match === 'string' ? JSON.stringify(match) : 'a match'}; bot said: ${JSON.stringify(this.botTexts(chatId).slice(-5))}`);
    });
    const i = found();
    chat.cursor = i + 1;
    return chat.events[i]!.message;
  }

  /** How many messages the bot sent or edited in a chat so far (a benchmark counts a turn's replies with it). */
  botActivity(chatId: number): number {
    return this.chat(chatId).events.length;
  }

  /** Waits until the bot's activity in a chat reaches `n` (see {@link botActivity}). */
  async waitForActivity(chatId: number, n: number, timeoutMs = 30_000): Promise<void> {
    const chat = this.chat(chatId);
    await this.until(() => chat.events.length >= n, timeoutMs, `${n} bot messages in chat ${chatId}`);
  }

  /** Skips everything the bot sent or edited so far (the next wait is for something new). */
  skipBotMessages(chatId: number): void {
    const chat = this.chat(chatId);
    chat.cursor = chat.events.length;
  }

  /**
   * Waits until nothing happened for `quietMs`: no update waiting for the bot, no call to the fake.
   * Handy after a step whose number of replies the test does not know.
   */
  async settle(quietMs = 200, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = this.recorded.at(-1)?.at ?? 0;
      const lastNonPoll = [...this.recorded].reverse().find((c) => c.method !== 'getUpdates')?.at ?? 0;
      if (this.pending.length === 0 && Date.now() - Math.max(lastNonPoll, this.webhook ? last : 0) >= quietMs) return;
      if (Date.now() > deadline) throw new Error('the bot did not settle in time');
      await sleep(Math.min(quietMs, 50));
    }
  }

  // ---------------------------------------------------------------- inspection and failures

  /** Recorded calls, all or of one method. */
  calls(method?: string): FakeCall[] {
    return method ? this.recorded.filter((c) => c.method === method) : [...this.recorded];
  }

  /** The answer given to a callback query (button press), if any. */
  callbackAnswer(callbackId: string): { answered: boolean; text?: string; showAlert?: boolean } | undefined {
    return this.callbacks.get(callbackId);
  }

  /** Commands set with setMyCommands, by language code ('' = default). */
  myCommands(languageCode = ''): { command: string; description: string }[] {
    return this.commands.get(languageCode) ?? [];
  }

  /** The webhook currently set, if any. */
  get webhookInfo(): { url: string; secret?: string } | undefined {
    return this.webhook;
  }

  /** Updates not yet confirmed (polling) or delivered (webhook). */
  get pendingUpdates(): number {
    return this.pending.length;
  }

  /** The next `count` calls of `method` answer 429 Too Many Requests with `retry_after` seconds. */
  rateLimit(method: string, retryAfter: number, count = 1): void {
    this.fail(method, { count, code: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter });
  }

  /** The next `count` calls of `method` fail with this error code and description. */
  fail(method: string, f: { count?: number; code: number; description: string; retryAfter?: number }): void {
    const list = this.failures.get(method) ?? [];
    list.push({ count: f.count ?? 1, code: f.code, description: f.description, ...(f.retryAfter !== undefined ? { retryAfter: f.retryAfter } : {}) });
    this.failures.set(method, list);
  }

  /** The next `count` calls of `method` get no answer: the connection is cut (a network failure). */
  dropConnection(method: string, count = 1): void {
    this.drops.set(method, (this.drops.get(method) ?? 0) + count);
  }

  /** The next `count` getUpdates calls answer 409 Conflict (another poller, as Telegram says). */
  conflictOnPoll(count = 1): void {
    this.conflicts += count;
    if (this.poll) this.answerPollConflict();
  }

  /**
   * Delivers webhook updates round-robin to these URLs instead of the one set with setWebhook (a load
   * balancer in front of several processes), with up to `concurrency` deliveries in flight.
   */
  balanceWebhook(urls: string[], concurrency = 1): void {
    this.targets = urls;
    this.webhookConcurrency = concurrency;
    this.wake();
  }

  /**
   * From now on `userSays`/`press` only make updates and return them; the caller posts them (with
   * `postUpdate`) as a load generator does, with as many in flight as it likes.
   */
  deliverManually(): void {
    this.manual = true;
  }

  /** Stops the server; pending long polls answer empty. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) this.answerPoll([]);
    for (const w of this.waiters) w();
    await new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
  }
}
