import { channelPorts } from '../../../src/app/ports.js';
import type { AppOverrides } from '../../../src/app/app.js';
import { createLogger } from '../../../src/lib/logger.js';
import { TelegramChannel } from '../../../src/channels/telegram/telegram.js';
import { HttpServer } from '../../../src/infra/http/server.js';
import { testApp, type TestApp } from '../../support/app.js';
import type { DbKind, StoreKind } from '../../support/db.js';
import type { FakeTelegram } from '../../support/fake-telegram.js';

/** One bot process in a test: an app, its Telegram channel and (webhook mode) its HTTP server. */
export interface BotProcess {
  app: TestApp;
  channel: TelegramChannel;
  http?: HttpServer;
  webhookUrl?: string;
  /** Stops the channel and the HTTP server, then closes the app. */
  stop(): Promise<void>;
}

/** The webhook secret the tests configure. */
export const WEBHOOK_SECRET = 'test_webhook_secret-0123456789';

/**
 * Starts a bot process against the fake: polling by default, webhook mode with `webhook: true`
 * (its own HTTP server on a random port, the webhook URL pointing at it).
 */
export async function startBot(fake: FakeTelegram, kinds: { db: DbKind; store: StoreKind }, o: { webhook?: boolean; env?: Record<string, string>; overrides?: AppOverrides } = {}): Promise<BotProcess> {
  let http: HttpServer | undefined;
  let webhookUrl: string | undefined;
  // Tests type faster than people: the per-chat limit is raised unless a test is about it.
  const env = { ...fake.env(), TELEGRAM_CHAT_MESSAGES_PER_SECOND: '100', ...o.env };
  if (o.webhook) {
    http = new HttpServer(createLogger('silent'));
    const port = await http.listen(0, '127.0.0.1');
    webhookUrl = `http://127.0.0.1:${port}/telegram/webhook`;
    Object.assign(env, { TELEGRAM_WEBHOOK_URL: webhookUrl, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, HTTP_PORT: String(port) });
  }
  const app = await testApp(kinds, env, o.overrides ?? {});
  let channel: TelegramChannel;
  try {
    channel = await TelegramChannel.start(channelPorts(app), http, { pollTimeoutSeconds: 2 });
  } catch (err) {
    await http?.close();
    await app.close();
    throw err;
  }
  return {
    app,
    channel,
    ...(http ? { http } : {}),
    ...(webhookUrl ? { webhookUrl } : {}),
    async stop() {
      await http?.close();
      await channel.stop();
      await app.close();
    },
  };
}

/** A fresh private chat id. */
let nextChat = 100_000 + Math.floor(Math.random() * 1_000_000);
export function newChatId(): number {
  return nextChat++;
}
