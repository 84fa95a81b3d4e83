import { channelPorts } from '../../../src/app/ports.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { dispatchNotices } from '../../../src/app/notices.js';
import { queueNotice } from '../../../src/services/notices.js';
import { TelegramChannel, TelegramStartError } from '../../../src/channels/telegram/telegram.js';
import type { Database } from '../../../src/infra/db/database.js';
import type { StateStore } from '../../../src/infra/store/store.js';
import { testDatabase, testStore } from '../../support/db.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { counterEntry } from '../../engine/test-flow.js';
import { WEBHOOK_SECRET, newChatId, startBot, type BotProcess } from './harness.js';
import { telegramTestFlows } from './tg-flows.js';

const PG_REDIS = { db: 'postgres', store: 'redis' } as const;
const LOCAL = { db: 'pglite', store: 'memory' } as const;
const flows = () => [counterEntry(5), ...telegramTestFlows()];

/** Echo replies of a chat, in the order the chat shows them. */
function echoes(fake: FakeTelegram, chat: number): string[] {
  return fake.botTexts(chat).filter((t) => /^echo \d+:/.test(t));
}

describe('Telegram: several processes, redeliveries, restarts (PostgreSQL + Redis shared)', () => {
  let fake: FakeTelegram;
  let db: Database;
  let store: StateStore;
  const bots: BotProcess[] = [];
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    db = await testDatabase('postgres');
    store = await testStore('redis');
  });
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop();
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
    await fake?.close();
  });
  const start = async (o: { webhook?: boolean } = {}) => {
    const b = await startBot(fake, PG_REDIS, { ...o, overrides: { db, store, flows: flows() } });
    bots.push(b);
    return b;
  };

  it('two webhook processes behind a balancer keep one chat in order, without duplicate replies', async () => {
    const a = await start({ webhook: true });
    const b = await start({ webhook: true });
    fake.balanceWebhook([a.webhookUrl!, b.webhookUrl!], 1);
    const chat = newChatId();
    fake.userSays(chat, '/echo');
    await fake.waitForBot(chat, 'echo ready');
    for (let i = 1; i <= 30; i++) fake.userSays(chat, `m${i}`);
    await fake.waitForBot(chat, 'echo 30:', 30_000);
    await fake.settle(100);
    expect(echoes(fake, chat)).toEqual(Array.from({ length: 30 }, (_, i) => `echo ${i + 1}: m${i + 1}`));
    const served = new Set(fake.deliveries.filter((d) => d.status === 200).map((d) => d.url));
    expect(served).toEqual(new Set([a.webhookUrl, b.webhookUrl]));
  });

  it('the same update delivered 50 times, 8 at a time, to two processes has one effect', async () => {
    const a = await start({ webhook: true });
    const b = await start({ webhook: true });
    fake.balanceWebhook([a.webhookUrl!, b.webhookUrl!], 8);
    const chat = newChatId();
    fake.userSays(chat, '/counter');
    await fake.waitForBot(chat, 'test-count');
    const u = fake.userSays(chat, 'x');
    fake.redeliver(u, 49);
    await fake.settle(200);
    const served = fake.deliveries.filter((d) => d.updateId === u.update_id && d.status === 200);
    expect(served).toHaveLength(50);
    expect(new Set(served.map((d) => d.url))).toEqual(new Set([a.webhookUrl, b.webhookUrl]));
    expect(fake.botTexts(chat).filter((t) => t.startsWith('test-count-'))).toHaveLength(1);
    const stored = await store.loadSnapshot(Engine.chatKey('telegram', String(chat)));
    expect(stored!.data).toContain('"n":1');
  });

  it('the same button press (callback update) delivered 50 times, 8 at a time, to two processes runs one turn: one document sent, the callback answered, no redelivery told "expired"', async () => {
    const a = await start({ webhook: true });
    const b = await start({ webhook: true });
    fake.balanceWebhook([a.webhookUrl!, b.webhookUrl!], 8);
    const chat = newChatId();
    fake.userSays(chat, '/picture');
    await fake.waitForBot(chat, 'picture 1', 30_000);
    const msg = fake.visible(chat).find((m) => m.keyboard?.length)!;
    const u = fake.pressData(chat, msg.messageId, msg.keyboard!.flat().find((x) => x.text === 'csv')!.callback_data!);
    fake.redeliver(u, 49);
    await fake.waitForBot(chat, 'your csv', 30_000);
    await fake.settle(300);
    const served = fake.deliveries.filter((d) => d.updateId === u.update_id && d.status === 200);
    expect(served).toHaveLength(50);
    expect(new Set(served.map((d) => d.url))).toEqual(new Set([a.webhookUrl, b.webhookUrl]));
    expect(fake.calls('sendDocument').filter((c) => Number(c.params.chat_id) === chat)).toHaveLength(1);
    expect(fake.botTexts(chat).filter((t) => t === 'your csv')).toHaveLength(1);
    const answer = fake.callbackAnswer((u.callback_query as { id: string }).id);
    expect(answer?.answered).toBe(true);
    // The redeliveries were skipped as updates seen before, not refused as presses of an expired screen.
    expect(answer?.text ?? '').not.toMatch(/expired/i);
  }, 60_000);

  it('a restarted polling process continues the chat where it was and ignores redelivered old updates', async () => {
    const first = await start();
    const chat = newChatId();
    fake.userSays(chat, '/counter');
    await fake.waitForBot(chat, 'test-count');
    const x = fake.userSays(chat, 'x');
    await fake.waitForBot(chat, 'test-count-1');
    fake.userSays(chat, 'secret');
    await fake.waitForBot(chat, 'test-ask-secret');
    await first.stop();
    bots.splice(bots.indexOf(first), 1);

    // Telegram delivers an old update again (e.g. it was not confirmed before a crash).
    fake.redeliver(x, 20);
    await start();
    const pw = fake.userSays(chat, 'pw-after-restart');
    await fake.waitForBot(chat, 'test-hashed');
    expect(fake.messages(chat).find((m) => m.messageId === (pw.message as { message_id: number }).message_id)!.deleted).toBe(true);
    await fake.settle(100);
    expect(fake.botTexts(chat).filter((t) => t.startsWith('test-count-'))).toHaveLength(1);
    const stored = await store.loadSnapshot(Engine.chatKey('telegram', String(chat)));
    expect(stored!.data).toContain('"n":1');
  });
});

describe('Telegram: webhook secret, rate limits, conflicts, start-up checks', () => {
  let fake: FakeTelegram;
  /** One polling process for most tests (its counter flow hashes slowly: 1.5 s). */
  let bot: BotProcess;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    bot = await startBot(fake, LOCAL, { overrides: { flows: [counterEntry(1500), ...telegramTestFlows()] } });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('refuses webhook requests without the right secret (401) and processes nothing', async () => {
    // Its own bot API: setting a webhook would stop the shared poller (as on Telegram).
    const fake = await FakeTelegram.start();
    const hook = await startBot(fake, LOCAL, { webhook: true, overrides: { flows: flows() } });
    try {
      const chat = newChatId();
      fake.userSays(chat, '/start'); // the fake delivers it with the right secret
      await fake.waitForBot(chat, 'Welcome');
      await fake.settle(50);
      const forged = { update_id: 99_000_001, message: { message_id: 50, date: 1, chat: { id: chat, type: 'private', first_name: 'X' }, from: { id: chat, is_bot: false, first_name: 'X' }, text: '/help' } };
      expect(await fake.postUpdate(hook.webhookUrl!, forged, 'wrong-secret')).toBe(401);
      expect(await fake.postUpdate(hook.webhookUrl!, forged)).toBe(401);
      await fake.settle(100);
      expect(fake.botTexts(chat).some((t) => t.includes('/cancel'))).toBe(false);
      expect(await hook.app.store.claimOnce('update:tg:99000001', 1000)).toBe(true); // never claimed: not processed
      expect(await fake.postUpdate(hook.webhookUrl!, { ...forged, update_id: 99_000_002 }, WEBHOOK_SECRET)).toBe(200);
      await fake.waitForBot(chat, '/cancel');
    } finally {
      await hook.stop();
      await fake.close();
    }
  });

  it('waits retry_after on 429 and delivers the reply later', async () => {
    const chat = newChatId();
    fake.userSays(chat, '/start');
    await fake.waitForBot(chat, 'What would you like to do?');
    fake.rateLimit('sendMessage', 1);
    const sent = Date.now();
    fake.userSays(chat, '/help');
    await fake.waitForBot(chat, '/cancel');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(950);
    const statuses = fake.calls('sendMessage').slice(-2).map((c) => c.status);
    expect(statuses).toEqual([429, 200]);
  });

  it('keeps a notice queued while Telegram answers 429 with a long retry_after, and delivers it when that time has passed', async () => {
    const chat = newChatId();
    fake.userSays(chat, '/start');
    await fake.waitForBot(chat, 'What would you like to do?');
    await bot.app.db.tx((tx) => queueNotice(tx, { chatKey: `telegram:${chat}`, key: 'logged-out' }));
    // Longer than the channel waits by itself: the entry goes back to the chat's queue with that time.
    fake.rateLimit('sendMessage', 600);
    expect(await dispatchNotices(bot.app)).toBe(1);
    expect(fake.calls('sendMessage').at(-1)?.status).toBe(429);
    expect(await bot.app.db.prisma.chatNotice.findFirst({ where: { chatKey: `telegram:${chat}` } })).toMatchObject({ status: 'queued' });
    bot.app.clock.advance(5 * 60_000);
    expect(await bot.app.engine.delivery.sweep()).toBe(0);
    bot.app.clock.advance(5 * 60_000 + 1_000);
    expect(await bot.app.engine.delivery.sweep()).toBe(1);
    await fake.waitForBot(chat, 'You have been logged out');
    expect(await bot.app.db.prisma.chatNotice.findFirst({ where: { chatKey: `telegram:${chat}` } })).toMatchObject({ status: 'sent' });
  });

  it('marks a notice for a chat that blocked the bot undeliverable at once and alerts support, instead of calling it sent', async () => {
    const chat = newChatId();
    fake.userSays(chat, '/start');
    await fake.waitForBot(chat, 'What would you like to do?');
    await bot.app.db.tx((tx) => queueNotice(tx, { chatKey: `telegram:${chat}`, key: 'logged-out' }));
    fake.fail('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    await dispatchNotices(bot.app);
    const row = await bot.app.db.prisma.chatNotice.findFirst({ where: { chatKey: `telegram:${chat}` } });
    expect(row?.status).toBe('undeliverable');
    expect(fake.calls('sendMessage').filter((c) => c.status === 403)).toHaveLength(1);
    const alerts = await bot.app.db.prisma.alert.findMany({ where: { kind: 'notice-undeliverable' } });
    expect(alerts.map((a) => (a.details as { chat?: string }).chat)).toContain(`telegram:${chat}`);
    // Nothing is left to try again.
    bot.app.clock.advance(3600_000);
    expect(await bot.app.engine.delivery.sweep()).toBe(0);
  });

  it('confirms an update to Telegram only after it was handled, serving other chats meanwhile', async () => {
    const chat = newChatId();
    fake.userSays(chat, '/counter');
    await fake.waitForBot(chat, 'test-count');
    fake.userSays(chat, 'secret');
    await fake.waitForBot(chat, 'test-ask-secret');
    await fake.settle(100);
    const u = fake.userSays(chat, 'slow-secret');
    await new Promise((r) => setTimeout(r, 300));
    // The slow turn is in flight: Telegram still holds its update, while another chat is served meanwhile.
    const other = newChatId();
    fake.userSays(other, '/help');
    await fake.waitForBot(other, '/cancel');
    expect(fake.pendingUpdates).toBeGreaterThanOrEqual(1);
    expect(fake.calls('getUpdates').some((c) => Number(c.params.offset) > u.update_id)).toBe(false);
    await fake.waitForBot(chat, 'test-hashed');
    fake.userSays(other, '/help');
    await fake.waitForBot(other, '/cancel');
    await fake.settle(100);
    expect(fake.calls('getUpdates').some((c) => Number(c.params.offset) > u.update_id)).toBe(true);
  });

  it('refuses to start with a wrong token or an unreachable API root, in one line without the token', async () => {
    const withConfig = (env: Record<string, string>) => ({ ...channelPorts(bot.app), setSender: () => undefined, config: { ...bot.app.config, ...env } });
    const wrong = await TelegramChannel.start(withConfig({ TELEGRAM_BOT_TOKEN: '999:WRONG-token-abc' }), undefined).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(TelegramStartError);
    expect((wrong as Error).message).toMatch(/^TELEGRAM_BOT_TOKEN: Telegram refused the token \(401/);
    expect((wrong as Error).message).not.toContain('WRONG-token-abc');
    const unreachable = await TelegramChannel.start(withConfig({ TELEGRAM_BOT_TOKEN: '999:SECRET-token-xyz', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' }), undefined).catch((e: unknown) => e);
    expect((unreachable as Error).message).toMatch(/^TELEGRAM_API_ROOT: cannot reach the Bot API server at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)$/);
    expect((unreachable as Error).message).not.toContain('SECRET-token-xyz');
  });

  it('tries a reply again when the connection to Telegram drops', async () => {
    const chat = newChatId();
    fake.userSays(chat, '/start');
    await fake.waitForBot(chat, 'What would you like to do?');
    fake.dropConnection('sendMessage', 2);
    fake.userSays(chat, '/help');
    await fake.waitForBot(chat, '/cancel');
    expect(fake.calls('sendMessage').slice(-3).map((c) => c.status)).toEqual([0, 0, 200]);
  });

  // Last: it ends the shared poller.
  it('stops polling with a clear message when another process polls the same bot (409)', async () => {
    fake.conflictOnPoll(1);
    const deadline = Date.now() + 5000;
    while (bot.channel.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(bot.channel.running).toBe(false);
    expect(bot.channel.fatal).toMatch(/another process is polling this bot \(409 Conflict/);
    expect(bot.app.logs.text).toContain('409 Conflict');
  });
});

describe('Telegram: two pollers for one bot', () => {
  it('one of them stops on 409 Conflict with a clear message; the other keeps serving', async () => {
    const fake = await FakeTelegram.start();
    const a = await startBot(fake, LOCAL, { overrides: { flows: flows() } });
    const b = await startBot(fake, LOCAL, { overrides: { flows: flows() } });
    try {
      const deadline = Date.now() + 10_000;
      while (a.channel.running && b.channel.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const [stopped, serving] = a.channel.running ? [b, a] : [a, b];
      expect(stopped.channel.running).toBe(false);
      expect(serving.channel.running).toBe(true);
      expect(stopped.channel.fatal).toMatch(/another process is polling this bot \(409 Conflict/);
      const chat = newChatId();
      fake.userSays(chat, '/help');
      await fake.waitForBot(chat, '/cancel');
    } finally {
      await a.stop();
      await b.stop();
      await fake.close();
    }
  });
});
