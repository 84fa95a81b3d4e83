import { Api, Bot, GrammyError, HttpError, type Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { sequentialize } from '@grammyjs/runner';
import { autoRetry } from '@grammyjs/auto-retry';
import { DeliveryError } from '../../engine/delivery.js';
import type { ChannelPorts } from '../ports.js';
import type { Lang } from '../../../flows/shared/protocol.js';
import type { HttpServer } from '../../infra/http/server.js';
import { defaultLimits, rateLimiter, replyBuckets } from './limiter.js';
import { render } from './render.js';
import { ALLOWED_UPDATES, CHANNEL, translate } from './translate.js';
import { startPolling, type Polling } from './polling.js';
import { InFlight, WEBHOOK_PATH, webhookHandler } from './webhook.js';

/** The Telegram channel could not start (wrong token, unreachable API root, webhook refused). One line. */
export class TelegramStartError extends Error {
  readonly code = 'TELEGRAM.START';
}

/** Commands in Telegram's menu, with their description keys (telegram.ftl). */
const COMMANDS = ['start', 'menu', 'help', 'support', 'cancel', 'logout', 'language'] as const;

/** A turn slower than this shows "typing…". */
const TYPING_AFTER_MS = 300;
/** Telegram shows a chat action for about 5 s; repeat it while the turn runs. */
const TYPING_REPEAT_MS = 4_500;
const DEDUP_MS = 7 * 24 * 3600_000;

/** Options of {@link TelegramChannel.start} beyond the configuration (tests). */
export interface TelegramOptions {
  /** Long-poll timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
}

/**
 * The cardholders' channel: grammY with auto-retry (honours `retry_after`) and one rate limiter for
 * the bot across processes (limiter.ts), long polling through `@grammyjs/runner` or a webhook on the shared HTTP server.
 * Updates become the engine's neutral events; its replies are rendered natively (see render.ts).
 */
export class TelegramChannel {
  private polling: Polling | undefined;
  private readonly inFlight = new InFlight();
  private stopped = false;
  /** Why the channel stopped on its own (e.g. another poller), if it did. */
  fatal: string | undefined;

  private constructor(
    private readonly app: ChannelPorts,
    readonly bot: Bot,
    readonly me: UserFromGetMe,
  ) {}

  /** Checks the token and the API root (`getMe`), builds the bot, and starts polling or the webhook. */
  static async start(app: ChannelPorts, http: HttpServer | undefined, o: TelegramOptions = {}): Promise<TelegramChannel> {
    const c = app.config;
    const token = c.TELEGRAM_BOT_TOKEN!;
    const apiRoot = c.TELEGRAM_API_ROOT.replace(/\/+$/, '');
    const log = app.log.child({ part: 'telegram' });
    // A plain client for the start-up check and polling: the bot's client retries forever on network errors.
    const pollApi = new Api(token, { apiRoot, timeoutSeconds: Math.max(60, (o.pollTimeoutSeconds ?? 30) + 30) });
    const me = await checkBot(token, apiRoot);
    const bot = new Bot(token, { botInfo: me, client: { apiRoot, timeoutSeconds: 60 } });
    // Innermost: a dropped connection is tried again a few times. Then the bot's shared rate limit
    // (every process, every chat). Outermost: wait a short `retry_after` on 429 and try again; a
    // longer one goes back to the outbound queue, which tries again when Telegram allows.
    bot.api.config.use(retryNetwork);
    const limits = defaultLimits(c.TELEGRAM_MAX_MESSAGES_PER_SECOND, c.TELEGRAM_CHAT_MESSAGES_PER_SECOND);
    bot.api.config.use(rateLimiter(app.store, limits));
    bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10, rethrowHttpErrors: true }));
    const channel = new TelegramChannel(app, bot, me);
    app.setBotUsername(me.username);
    bot.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : undefined)));
    bot.use((ctx) => channel.onUpdate(ctx.update));
    bot.catch((err) => log.error({ err: redact(err.message, token) }, 'telegram: middleware failed'));

    await channel.setCommands().catch((err: Error) => log.warn({ err: describe(err, token) }, 'telegram: setMyCommands failed; the command menu may be outdated'));
    // Every reply and notice reaches Telegram through the chat's outbound queue, in order.
    app.setSender(CHANNEL, async (chatId, outbound) => {
      try {
        await render(bot.api, chatId, outbound, log);
      } catch (err) {
        throw deliveryError(err, token);
      }
    }, (chatId) => replyBuckets(limits, chatId));

    if (c.TELEGRAM_WEBHOOK_URL) {
      if (!http) throw new TelegramStartError('HTTP_PORT: webhook mode needs the HTTP server; set HTTP_PORT');
      // A proxy may map another public path to ours; said once, since Telegram then posts elsewhere.
      if (new URL(c.TELEGRAM_WEBHOOK_URL).pathname !== WEBHOOK_PATH) log.warn({ path: WEBHOOK_PATH }, 'telegram: TELEGRAM_WEBHOOK_URL does not end in /telegram/webhook; make sure a proxy forwards it there');
      http.route('POST', WEBHOOK_PATH, webhookHandler({ secret: c.TELEGRAM_WEBHOOK_SECRET!, log, inFlight: channel.inFlight, handle: (u) => bot.handleUpdate(u) }));
      try {
        await bot.api.setWebhook(c.TELEGRAM_WEBHOOK_URL, { secret_token: c.TELEGRAM_WEBHOOK_SECRET!, allowed_updates: [...ALLOWED_UPDATES], max_connections: 40 });
      } catch (err) {
        throw new TelegramStartError(`TELEGRAM_WEBHOOK_URL: Telegram refused the webhook: ${describe(err, token)}`);
      }
      log.info({ bot: me.username, mode: 'webhook' }, 'telegram started');
    } else {
      // A webhook left from webhook mode would make every getUpdates fail with 409.
      await pollApi.deleteWebhook().catch((err: Error) => log.warn({ err: describe(err, token) }, 'telegram: deleteWebhook failed'));
      channel.polling = startPolling({
        bot,
        pollApi,
        log,
        ...(o.pollTimeoutSeconds !== undefined ? { timeoutSeconds: o.pollTimeoutSeconds } : {}),
        onFatal: (message) => {
          channel.fatal = message;
          log.error({}, message);
          app.fatal(message);
        },
      });
      log.info({ bot: me.username, mode: 'polling' }, 'telegram started');
    }
    return channel;
  }

  /** Is the channel still taking updates (false after a 409 stopped the poller)? */
  get running(): boolean {
    return !this.stopped && (this.polling ? this.polling.isRunning() : true);
  }

  /** Stops taking updates, waits for those in flight, and stops delivering notices through Telegram. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.polling?.stop();
    await this.inFlight.drained(15_000);
    this.app.setSender(CHANNEL, null);
  }

  /** One update: translate, run the turn (typing shown when slow), answer the press, render the replies. */
  async onUpdate(update: Update): Promise<void> {
    const t = translate(update, this.me.username);
    const api = this.bot.api;
    const log = this.app.log;
    if (t.kind === 'ignore') {
      if (t.callbackId) await api.answerCallbackQuery(t.callbackId).catch(() => undefined);
      return;
    }
    if (t.kind === 'wrong-person') {
      log.warn({ update: update.update_id }, 'telegram: a button press from someone other than the chat was refused');
      const text = this.app.catalogue.render(this.lang(t.langHint), { key: 'button-not-yours' });
      await api.answerCallbackQuery(t.callbackId, { text, show_alert: true }).catch(() => undefined);
      return;
    }
    if (t.kind === 'not-private') {
      if (!(await this.app.store.claimOnce(`update:tg:${update.update_id}`, DEDUP_MS))) return;
      const text = this.app.catalogue.render(this.lang(t.langHint), { key: 'group-chat' });
      if (t.callbackId) await api.answerCallbackQuery(t.callbackId, { text, show_alert: true }).catch(() => undefined);
      else await api.sendMessage(Number(t.chatId), text).catch((err: Error) => log.warn({ err: describe(err, this.bot.token) }, 'telegram: group notice failed'));
      return;
    }
    const chatId = t.inbound.chatId;
    const stopTyping = this.typing(chatId);
    let result;
    try {
      result = await this.app.engine.handle(t.inbound);
    } finally {
      stopTyping();
    }
    if (t.callbackId) await api.answerCallbackQuery(t.callbackId, result.ack ? { text: result.ack } : {}).catch(() => undefined);
    if (result.duplicate) return;
    await this.app.engine.deliver(CHANNEL, chatId).catch((err: Error) => log.warn({ chat: `${CHANNEL}:${chatId}`, err: err.message }, 'telegram: delivery failed; the queue tries again'));
  }

  /** Shows "typing…" when a turn takes longer than a moment; returns how to stop it. */
  private typing(chatId: string): () => void {
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      void this.bot.api.sendChatAction(Number(chatId), 'typing').catch(() => undefined);
      timer = setTimeout(tick, TYPING_REPEAT_MS);
    };
    timer = setTimeout(tick, TYPING_AFTER_MS);
    return () => clearTimeout(timer);
  }

  private lang(hint: string | undefined): Lang {
    return hint?.toLowerCase().startsWith('ja') ? 'ja' : this.app.defaultLang;
  }

  /** The command menu in English (default) and Japanese. */
  private async setCommands(): Promise<void> {
    const list = (lang: Lang) => COMMANDS.map((command) => ({ command, description: this.app.catalogue.render(lang, { key: `tg-cmd-${command}` }) }));
    await this.bot.api.setMyCommands(list('en'));
    await this.bot.api.setMyCommands(list('ja'), { language_code: 'ja' });
  }
}

const NETWORK_RETRY_MS = [300, 1_000, 3_000];

/**
 * Tries a call again when the connection failed (no answer from Telegram at all). A reply may then
 * arrive twice if only the answer was lost; a lost reply would be worse. API errors are not retried here.
 */
const retryNetwork: Transformer = async (prev, method, payload, signal) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await prev(method, payload, signal);
    } catch (err) {
      if (!(err instanceof HttpError) || attempt >= NETWORK_RETRY_MS.length || signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, NETWORK_RETRY_MS[attempt]));
    }
  }
};

/**
 * What the outbound queue should do with a failed call: a chat that blocked the bot (403) or a
 * request Telegram refuses (400) will never succeed; 429 waits `retry_after`; the rest is retried.
 */
function deliveryError(err: unknown, token: string): DeliveryError {
  if (err instanceof GrammyError) {
    const retryAfter = err.parameters?.retry_after;
    if (err.error_code === 429) return new DeliveryError(`429 ${err.description}`, false, (retryAfter ?? 1) * 1000);
    if (err.error_code === 403 || err.error_code === 400) return new DeliveryError(`${err.error_code} ${err.description}`, true);
    return new DeliveryError(`${err.error_code} ${err.description}`, false);
  }
  return new DeliveryError(describe(err, token), false);
}

/** `getMe` with a one-line error for a wrong token or an unreachable Bot API server. */
async function checkBot(token: string, apiRoot: string): Promise<UserFromGetMe> {
  const probe = new Api(token, { apiRoot, timeoutSeconds: 15 });
  try {
    return await probe.getMe();
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 401) throw new TelegramStartError('TELEGRAM_BOT_TOKEN: Telegram refused the token (401 Unauthorized); copy it again from @BotFather');
    if (err instanceof GrammyError && err.error_code === 404) throw new TelegramStartError(`TELEGRAM_BOT_TOKEN: the Bot API server at ${apiRoot} does not know this token (404 Not Found); check the token and TELEGRAM_API_ROOT`);
    if (err instanceof GrammyError) throw new TelegramStartError(`TELEGRAM_API_ROOT: getMe failed at ${apiRoot}: ${err.description}`);
    throw new TelegramStartError(`TELEGRAM_API_ROOT: cannot reach the Bot API server at ${apiRoot} (${describe(err, token)})`);
  }
}

/** A short, token-free description of an API failure. */
function describe(err: unknown, token: string): string {
  if (err instanceof GrammyError) return `${err.error_code} ${err.description}`;
  if (err instanceof HttpError) {
    const cause = err.error as { code?: string; name?: string; message?: string } | undefined;
    return cause?.code ?? cause?.name ?? redact(err.message, token);
  }
  return redact((err as Error)?.message ?? String(err), token);
}

/** Removes the bot token from a text (node-fetch errors quote the request URL, which holds it). */
function redact(text: string, token: string): string {
  return text.split(token).join('<token>');
}
