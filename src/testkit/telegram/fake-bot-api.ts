import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake of the Telegram Bot API for tests: grammY's real HTTP client talks to it through
 * `TELEGRAM_API_ROOT` (grammY's `client.apiRoot`). It keeps chats and messages like Telegram does,
 * serves `getUpdates` (long polling, offsets, 409 conflicts) and pushes updates to a webhook (with
 * the secret header), records every call, and lets a test play the user (`userSays`, `press`) and
 * inject failures (429 with `retry_after`, any error for the next N calls of a method).
 */

/** One recorded Bot API call. */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
  /** Uploaded files by form field name (multipart requests). */
  files: Record<string, { filename: string; data: Buffer }>;
  /** HTTP status the fake answered with. */
  status: number;
  at: number;
}

/** An inline keyboard button as the fake keeps it. */
export interface FakeButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** A message in a chat, as Telegram would show it now. */
export interface FakeMessage {
  messageId: number;
  chatId: number;
  from: 'bot' | 'user';
  kind: 'text' | 'photo' | 'document';
  text?: string;
  caption?: string;
  photo?: Buffer;
  document?: { name: string; mime?: string; data: Buffer };
  keyboard?: FakeButton[][];
  deleted: boolean;
  /** How many times the bot edited it. */
  edits: number;
  date: number;
}

/** A Telegram update as the fake sends it (shape of the Bot API's `Update`). */
export type FakeUpdate = { update_id: number } & Record<string, unknown>;

/** Options of {@link FakeTelegram.start}. */
export interface FakeTelegramOptions {
  token?: string;
  username?: string;
  /** Delay between webhook retries after a failed delivery. */
  webhookRetryMs?: number;
  /** Attempts per update before the fake gives up on a webhook delivery. */
  webhookAttempts?: number;
}

/** Who the user is, for updates the fake makes. */
export interface FakeUserOptions {
  chatType?: 'private' | 'group' | 'supergroup';
  languageCode?: string;
  firstName?: string;
  userId?: number;
}

interface Failure {
  count: number;
  code: number;
  description: string;
  retryAfter?: number;
}

interface Poll {
  res: ServerResponse;
  timer: NodeJS.Timeout;
  limit: number;
  allowed?: string[];
}

class ApiError extends Error {
  constructor(readonly code: number, description: string, readonly retryAfter?: number) {
    super(description);
  }
}

const BOT_ID = 777000111;

/** The fake Bot API server. */
export class FakeTelegram {
  readonly token: string;
  readonly username: string;
  private server!: Server;
  private port = 0;
  private readonly recorded: FakeCall[] = [];
  private readonly chats = new Map<number, { type: string; messages: FakeMessage[]; nextId: number; events: { type: 'send' | 'edit'; message: FakeMessage }[]; cursor: number; firstName: string; userId: number; lang?: string }>();
  private readonly pending: FakeUpdate[] = [];
  private updateSeq = 1000;
  private callbackSeq = 1;
  private readonly callbacks = new Map<string, { answered: boolean; text?: string; showAlert?: boolean }>();
  private readonly failures = new Map<string, Failure[]>();
  private conflicts = 0;
  private readonly drops = new Map<string, number>();
  private poll: Poll | undefined;
  private webhook: { url: string; secret?: string; allowed?: string[] } | undefined;
  private targets: string[] | undefined;
  private rr = 0;
  private pumping = false;
  private webhookConcurrency = 1;
  private readonly waiters = new Set<() => void>();
  private commands = new Map<string, { command: string; description: string }[]>();
  /** Every webhook delivery attempt: update id, target URL and the HTTP status (0 = no connection). */
  readonly deliveries: { updateId: number; url: string; status: number }[] = [];
  private closed = false;

  private constructor(private readonly o: FakeTelegramOptions) {
    this.token = o.token ?? '123456:TEST-fake-token';
    this.username = o.username ?? 'omnipay_test_bot';
  }

  /** Starts a fake on 127.0.0.1 at a random port. */
  static async start(o: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(o);
    fake.server = createServer((req, res) => void fake.serve(req, res));
    fake.server.keepAliveTimeout = 1000;
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

  /** The user presses a button with this data on message `messageId` (old screens too). */
  pressData(chatId: number, messageId: number, data: string): FakeUpdate {
    const chat = this.chat(chatId);
    const msg = chat.messages.find((m) => m.messageId === messageId);
    if (!msg) throw new Error(`no message ${messageId} in chat ${chatId}`);
    const id = String(this.callbackSeq++);
    this.callbacks.set(id, { answered: false });
    return this.enqueue({
      callback_query: { id, from: this.userJson(chatId), message: { ...this.messageJson(msg), from: this.botJson() }, chat_instance: `ci${chatId}`, data },
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

  /** POSTs one update to a URL the way Telegram does; resolves with the HTTP status (0 = unreachable). */
  async postUpdate(url: string, update: FakeUpdate, secret?: string): Promise<number> {
    const body = Buffer.from(JSON.stringify(update));
    return new Promise<number>((resolve) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.setTimeout(60_000, () => req.destroy());
      req.end(body);
    });
  }

  /** Stops the server; pending long polls answer empty. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) this.answerPoll([]);
    for (const w of this.waiters) w();
    await new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
  }

  // ---------------------------------------------------------------- the Bot API

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec((req.url ?? '').split('?')[0]!);
    const body = await readBody(req);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m as unknown as [string, string, string];
    let params: Record<string, unknown> = {};
    let files: FakeCall['files'] = {};
    try {
      ({ params, files } = parseRequest(req, body));
    } catch (err) {
      return send(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${(err as Error).message}` });
    }
    for (const [k, v] of new URL(req.url ?? '/', 'http://x').searchParams) params[k] ??= parseJsonish(v);
    const call: FakeCall = { method, params, files, status: 200, at: Date.now() };
    this.recorded.push(call);
    const reply = (status: number, payload: unknown) => {
      call.status = status;
      send(res, status, payload);
    };
    if (token !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const drops = this.drops.get(method) ?? 0;
    if (drops > 0) {
      this.drops.set(method, drops - 1);
      call.status = 0;
      req.socket.destroy();
      return;
    }
    const failure = this.failures.get(method)?.[0];
    if (failure) {
      if (--failure.count <= 0) this.failures.get(method)!.shift();
      return reply(failure.code, { ok: false, error_code: failure.code, description: failure.description, ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}) });
    }
    try {
      if (method === 'getUpdates') return this.getUpdates(params, res, call);
      const result = this.dispatch(method, params, files);
      reply(200, { ok: true, result });
      this.wake();
    } catch (err) {
      if (err instanceof ApiError) return reply(err.code, { ok: false, error_code: err.code, description: err.message, ...(err.retryAfter ? { parameters: { retry_after: err.retryAfter } } : {}) });
      reply(500, { ok: false, error_code: 500, description: `Internal Server Error: ${(err as Error).message}` });
    }
  }

  private dispatch(method: string, p: Record<string, unknown>, files: FakeCall['files']): unknown {
    switch (method) {
      case 'getMe':
        return { ...this.botJson(), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'setWebhook': {
        const url = str(p.url);
        if (!url) {
          this.webhook = undefined;
          return true;
        }
        if (!/^https?:\/\//.test(url)) throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        this.webhook = { url, ...(p.secret_token ? { secret: str(p.secret_token) } : {}), ...(Array.isArray(p.allowed_updates) ? { allowed: p.allowed_updates as string[] } : {}) };
        if (p.drop_pending_updates) this.pending.length = 0;
        if (this.poll) this.answerPollConflict("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        return true;
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        if (p.drop_pending_updates) this.pending.length = 0;
        return true;
      case 'getWebhookInfo':
        return { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.pending.length };
      case 'setMyCommands': {
        const cmds = parseJsonish(p.commands) as { command: string; description: string }[];
        if (!Array.isArray(cmds)) throw new ApiError(400, 'Bad Request: commands must be an array');
        for (const c of cmds) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
          if (!c.description || c.description.length > 256) throw new ApiError(400, 'Bad Request: command description is empty or too long');
        }
        this.commands.set(str(p.language_code) ?? '', cmds);
        return true;
      }
      case 'getMyCommands':
        return this.commands.get(str(p.language_code) ?? '') ?? [];
      case 'sendChatAction':
        this.knownChat(p.chat_id);
        return true;
      case 'answerCallbackQuery': {
        const cb = this.callbacks.get(str(p.callback_query_id) ?? '');
        if (!cb) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        cb.answered = true;
        if (p.text !== undefined) cb.text = str(p.text);
        if (p.show_alert) cb.showAlert = true;
        return true;
      }
      case 'sendMessage': {
        const chat = this.knownChat(p.chat_id);
        const text = this.formatted(p.text, p.parse_mode, 4096, 'message text');
        const msg = this.botMessage(chat, { kind: 'text', text, keyboard: keyboardOf(p.reply_markup) });
        return this.messageJson(msg);
      }
      case 'sendPhoto': {
        const chat = this.knownChat(p.chat_id);
        const photo = fileOf(p.photo, files, 'photo');
        const caption = p.caption === undefined ? undefined : this.formatted(p.caption, p.parse_mode, 1024, 'caption');
        const msg = this.botMessage(chat, { kind: 'photo', photo, ...(caption ? { caption } : {}), keyboard: keyboardOf(p.reply_markup) });
        return this.messageJson(msg);
      }
      case 'sendDocument': {
        const chat = this.knownChat(p.chat_id);
        const f = fileOf(p.document, files, 'document');
        const name = files[attachId(p.document) ?? '']?.filename ?? 'document.dat';
        const caption = p.caption === undefined ? undefined : this.formatted(p.caption, p.parse_mode, 1024, 'caption');
        const msg = this.botMessage(chat, { kind: 'document', document: { name, data: f }, ...(caption ? { caption } : {}), keyboard: keyboardOf(p.reply_markup) });
        return this.messageJson(msg);
      }
      case 'editMessageText': {
        const msg = this.editable(p);
        if (msg.kind !== 'text') throw new ApiError(400, 'Bad Request: there is no text in the message to edit');
        const text = this.formatted(p.text, p.parse_mode, 4096, 'message text');
        const keyboard = keyboardOf(p.reply_markup);
        if (text === msg.text && JSON.stringify(keyboard ?? []) === JSON.stringify(msg.keyboard ?? []))
          throw new ApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        Object.assign(msg, { text, keyboard, edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'editMessageCaption': {
        const msg = this.editable(p);
        if (msg.kind === 'text') throw new ApiError(400, 'Bad Request: there is no caption in the message to edit');
        const caption = p.caption === undefined ? undefined : this.formatted(p.caption, p.parse_mode, 1024, 'caption');
        Object.assign(msg, { caption, keyboard: keyboardOf(p.reply_markup), edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'editMessageMedia': {
        const msg = this.editable(p);
        const media = parseJsonish(p.media) as { type: string; media: string; caption?: string; parse_mode?: string };
        if (!media || typeof media !== 'object') throw new ApiError(400, 'Bad Request: media is required');
        if (msg.kind === 'text') throw new ApiError(400, "Bad Request: message can't be edited");
        const data = fileOf(media.media, files, 'media');
        const caption = media.caption === undefined ? undefined : this.formatted(media.caption, media.parse_mode, 1024, 'caption');
        if (media.type === 'photo') Object.assign(msg, { kind: 'photo', photo: data, document: undefined });
        else Object.assign(msg, { kind: 'document', document: { name: files[attachId(media.media) ?? '']?.filename ?? 'document.dat', data }, photo: undefined });
        Object.assign(msg, { caption, keyboard: keyboardOf(p.reply_markup), edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'editMessageReplyMarkup': {
        const msg = this.editable(p);
        const keyboard = keyboardOf(p.reply_markup);
        if (JSON.stringify(keyboard ?? []) === JSON.stringify(msg.keyboard ?? [])) throw new ApiError(400, 'Bad Request: message is not modified');
        Object.assign(msg, { keyboard, edits: msg.edits + 1 });
        this.edited(msg);
        return this.messageJson(msg);
      }
      case 'deleteMessage': {
        const chat = this.knownChat(p.chat_id);
        const msg = chat.messages.find((m) => m.messageId === Number(p.message_id));
        if (!msg || msg.deleted) throw new ApiError(400, 'Bad Request: message to delete not found');
        msg.deleted = true;
        return true;
      }
      default:
        throw new ApiError(404, 'Not Found: method not found');
    }
  }

  private getUpdates(p: Record<string, unknown>, res: ServerResponse, call: FakeCall): void {
    const answer = (status: number, payload: unknown) => {
      call.status = status;
      send(res, status, payload);
    };
    if (this.webhook) return answer(409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    if (this.conflicts > 0) {
      this.conflicts--;
      return answer(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    }
    // A newer request ends the older one, as on Telegram.
    if (this.poll) this.answerPollConflict();
    const offset = p.offset === undefined ? undefined : Number(p.offset);
    if (offset !== undefined && offset > 0) this.confirm(offset);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const allowed = Array.isArray(p.allowed_updates) && p.allowed_updates.length ? (p.allowed_updates as string[]) : undefined;
    const ready = this.take(limit, allowed);
    const timeout = Number(p.timeout ?? 0);
    if (ready.length || timeout <= 0 || this.closed) return answer(200, { ok: true, result: ready });
    const poll: Poll = {
      res,
      limit,
      ...(allowed ? { allowed } : {}),
      timer: setTimeout(() => {
        if (this.poll === poll) this.answerPoll([]);
      }, timeout * 1000),
    };
    this.poll = poll;
    res.on('close', () => {
      if (this.poll === poll && !res.writableEnded) {
        clearTimeout(poll.timer);
        this.poll = undefined;
      }
    });
  }

  private confirm(offset: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]!.update_id < offset) this.pending.splice(i, 1);
  }

  private take(limit: number, allowed?: string[]): FakeUpdate[] {
    const ok = (u: FakeUpdate) => !allowed || Object.keys(u).some((k) => k !== 'update_id' && allowed.includes(k));
    // Updates of kinds the bot did not ask for are confirmed silently, as Telegram drops them.
    for (let i = this.pending.length - 1; i >= 0; i--) if (!ok(this.pending[i]!)) this.pending.splice(i, 1);
    return [...this.pending].sort((a, b) => a.update_id - b.update_id).slice(0, limit).map((u) => structuredClone(u));
  }

  private answerPoll(updates: FakeUpdate[]): void {
    const poll = this.poll!;
    this.poll = undefined;
    clearTimeout(poll.timer);
    const call = [...this.recorded].reverse().find((c) => c.method === 'getUpdates');
    if (call) call.status = 200;
    send(poll.res, 200, { ok: true, result: updates });
  }

  private answerPollConflict(description = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'): void {
    const poll = this.poll!;
    this.poll = undefined;
    clearTimeout(poll.timer);
    if (this.conflicts > 0) this.conflicts--;
    send(poll.res, 409, { ok: false, error_code: 409, description });
  }

  private enqueue(body: Record<string, unknown>): FakeUpdate {
    const update = { update_id: ++this.updateSeq, ...body } as FakeUpdate;
    this.pending.push(update);
    this.wake();
    return structuredClone(update);
  }

  /** New update or bot activity: answer a waiting poll, push webhooks, wake test waiters. */
  private wake(): void {
    if (this.poll) {
      const ready = this.take(this.poll.limit, this.poll.allowed);
      if (ready.length) this.answerPoll(ready);
    }
    if ((this.webhook || this.targets) && !this.pumping) void this.pump();
    for (const w of [...this.waiters]) w();
  }

  /** Pushes pending updates to the webhook (or the balanced targets) until none are left. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      const attempts = new Map<FakeUpdate, number>();
      while (!this.closed && (this.webhook || this.targets) && this.pending.length) {
        const batch = this.pending.slice(0, this.webhookConcurrency);
        const results = await Promise.all(
          batch.map(async (u) => {
            const url = this.targets ? this.targets[this.rr++ % this.targets.length]! : this.webhook!.url;
            const status = await this.postUpdate(url, u, this.webhook?.secret);
            this.deliveries.push({ updateId: u.update_id, url, status });
            return { u, ok: status >= 200 && status < 300 };
          }),
        );
        let failed = false;
        for (const { u, ok } of results) {
          const n = (attempts.get(u) ?? 0) + 1;
          attempts.set(u, n);
          if (ok || n >= (this.o.webhookAttempts ?? 5)) {
            const i = this.pending.indexOf(u);
            if (i >= 0) this.pending.splice(i, 1);
          } else failed = true;
        }
        for (const w of [...this.waiters]) w();
        if (failed) await sleep(this.o.webhookRetryMs ?? 100);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (cond()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (cond() || this.closed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }

  // ---------------------------------------------------------------- chats and messages

  private chat(chatId: number, o: FakeUserOptions = {}) {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { type: o.chatType ?? (chatId < 0 ? 'group' : 'private'), messages: [], nextId: 1, events: [], cursor: 0, firstName: o.firstName ?? 'Test', userId: o.userId ?? Math.abs(chatId), ...(o.languageCode ? { lang: o.languageCode } : {}) };
      this.chats.set(chatId, chat);
    } else if (o.languageCode) chat.lang = o.languageCode;
    return chat;
  }

  /** Notes an edit of a bot message, for `waitForBot`. */
  private edited(msg: FakeMessage): void {
    this.chat(msg.chatId).events.push({ type: 'edit', message: msg });
  }

  private knownChat(id: unknown) {
    const chat = this.chats.get(Number(id));
    if (!chat) throw new ApiError(400, 'Bad Request: chat not found');
    return chat;
  }

  private editable(p: Record<string, unknown>): FakeMessage {
    const chat = this.knownChat(p.chat_id);
    const msg = chat.messages.find((m) => m.messageId === Number(p.message_id) && m.from === 'bot');
    if (!msg || msg.deleted) throw new ApiError(400, 'Bad Request: message to edit not found');
    return msg;
  }

  private botMessage(chat: ReturnType<FakeTelegram['chat']>, m: Partial<FakeMessage> & { kind: FakeMessage['kind'] }): FakeMessage {
    const chatId = [...this.chats.entries()].find(([, c]) => c === chat)![0];
    const msg: FakeMessage = { messageId: chat.nextId++, chatId, from: 'bot', deleted: false, edits: 0, date: now(), ...m };
    if (!msg.keyboard) delete msg.keyboard;
    chat.messages.push(msg);
    chat.events.push({ type: 'send', message: msg });
    return msg;
  }

  /** Checks text like Telegram (not empty, not too long, parse mode well formed) and returns it as shown. */
  private formatted(value: unknown, parseMode: unknown, max: number, what: string): string {
    const raw = str(value) ?? '';
    let shown = raw;
    if (parseMode === 'HTML') {
      const open: string[] = [];
      for (const t of raw.matchAll(/<(\/?)([a-z-]+)[^>]*>/gi)) {
        const tag = t[2]!.toLowerCase();
        if (!['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'span', 'blockquote'].includes(tag)) throw new ApiError(400, `Bad Request: can't parse entities: Unsupported start tag "${tag}"`);
        if (t[1]) {
          if (open.pop() !== tag) throw new ApiError(400, `Bad Request: can't parse entities: Unmatched end tag "${tag}"`);
        } else open.push(tag);
      }
      if (open.length) throw new ApiError(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"`);
      if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(raw.replace(/<[^>]*>/g, ''))) throw new ApiError(400, "Bad Request: can't parse entities: Unsupported HTML entity");
      shown = raw.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');
    } else if (parseMode !== undefined) throw new ApiError(400, `Bad Request: unsupported parse_mode ${String(parseMode)} in this fake`);
    if (!shown.trim()) throw new ApiError(400, `Bad Request: ${what} is empty`);
    if (shown.length > max) throw new ApiError(400, `Bad Request: ${what} is too long`);
    return shown;
  }

  private userJson(chatId: number) {
    const chat = this.chat(chatId);
    return { id: chat.userId, is_bot: false, first_name: chat.firstName, ...(chat.lang ? { language_code: chat.lang } : {}) };
  }

  private botJson() {
    return { id: BOT_ID, is_bot: true, first_name: 'OMNIPAY', username: this.username };
  }

  private messageJson(m: FakeMessage): Record<string, unknown> {
    const chat = this.chat(m.chatId);
    const chatJson = chat.type === 'private' ? { id: m.chatId, type: 'private', first_name: chat.firstName } : { id: m.chatId, type: chat.type, title: 'A group' };
    const out: Record<string, unknown> = { message_id: m.messageId, date: m.date, chat: chatJson, from: m.from === 'bot' ? this.botJson() : this.userJson(m.chatId) };
    if (m.edits) out.edit_date = now();
    if (m.kind === 'text') out.text = m.text;
    if (m.kind === 'photo') out.photo = [{ file_id: `photo-${m.chatId}-${m.messageId}-${m.edits}`, file_unique_id: `p${m.messageId}`, width: 200, height: 80, file_size: m.photo?.length ?? 0 }];
    if (m.kind === 'document') out.document = { file_id: `doc-${m.chatId}-${m.messageId}`, file_unique_id: `d${m.messageId}`, file_name: m.document?.name, file_size: m.document?.data.length ?? 0 };
    if (m.caption) out.caption = m.caption;
    if (m.keyboard) out.reply_markup = { inline_keyboard: m.keyboard };
    return out;
  }
}

// ------------------------------------------------------------------ helpers

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** Form fields carry objects as JSON text; JSON bodies carry them as they are. */
function parseJsonish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The id in an `attach://<id>` reference. */
function attachId(v: unknown): string | undefined {
  return typeof v === 'string' && v.startsWith('attach://') ? v.slice('attach://'.length) : undefined;
}

/** The bytes of an uploaded file referenced as `attach://id` (or a file_id / URL, kept as text). */
function fileOf(v: unknown, files: FakeCall['files'], field: string): Buffer {
  const id = attachId(v);
  if (id) {
    const f = files[id];
    if (!f) throw new ApiError(400, `Bad Request: file attach://${id} not found in the request`);
    return f.data;
  }
  if (typeof v === 'string' && v) return Buffer.from(v);
  throw new ApiError(400, `Bad Request: there is no ${field} in the request`);
}

function keyboardOf(markup: unknown): FakeButton[][] | undefined {
  const m = parseJsonish(markup) as { inline_keyboard?: FakeButton[][] } | undefined;
  if (!m || !m.inline_keyboard) return undefined;
  for (const row of m.inline_keyboard)
    for (const b of row) {
      if (!b.text) throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
  return m.inline_keyboard.length ? m.inline_keyboard.map((r) => r.map((b) => ({ ...b }))) : undefined;
}

/** Reads a JSON or multipart/form-data request (grammY writes headers without spaces). */
function parseRequest(req: IncomingMessage, body: Buffer): { params: Record<string, unknown>; files: FakeCall['files'] } {
  const type = req.headers['content-type'] ?? '';
  if (!body.length) return { params: {}, files: {} };
  if (type.startsWith('application/json')) return { params: JSON.parse(body.toString('utf8')) as Record<string, unknown>, files: {} };
  if (type.startsWith('application/x-www-form-urlencoded')) return { params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: {} };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!type.startsWith('multipart/form-data') || !boundary) throw new Error(`unsupported content type ${type}`);
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const params: Record<string, unknown> = {};
  const files: FakeCall['files'] = {};
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.subarray(-2).toString() === '\r\n') part = part.subarray(0, -2);
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString('utf8');
    const data = part.subarray(headEnd + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) files[name] = { filename, data: Buffer.from(data) };
      else params[name] = parseJsonish(data.toString('utf8'));
    }
    pos = next;
  }
  // Scalars sent as form fields arrive as text; numbers and booleans are parsed back by parseJsonish.
  return { params, files };
}
