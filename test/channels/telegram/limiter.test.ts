import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITED_METHODS } from '../../../src/channels/telegram/limiter.js';
import type { Database } from '../../../src/infra/db/database.js';
import type { StateStore } from '../../../src/infra/store/store.js';
import { testDatabase, testStore } from '../../support/db.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { newChatId, startBot, type BotProcess } from './harness.js';

/** The most calls that send or edit a message within any `ms` of each other (a sliding window). */
function busiestWindow(fake: FakeTelegram, ms: number, chat?: number): number {
  const at = fake.calls().filter((c) => LIMITED_METHODS.has(c.method) && c.status === 200 && (chat === undefined || Number(c.params.chat_id) === chat)).map((c) => c.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('Telegram rate limits shared by every process', () => {
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

  it('two processes together never send more than TELEGRAM_MAX_MESSAGES_PER_SECOND in any second, and every reply arrives', async () => {
    const env = { TELEGRAM_MAX_MESSAGES_PER_SECOND: '10' };
    const a = await startBot(fake, { db: 'postgres', store: 'redis' }, { webhook: true, env, overrides: { db, store } });
    bots.push(a);
    const b = await startBot(fake, { db: 'postgres', store: 'redis' }, { webhook: true, env, overrides: { db, store } });
    bots.push(b);
    fake.balanceWebhook([a.webhookUrl!, b.webhookUrl!], 8);
    const since = fake.calls().length;
    const chats = Array.from({ length: 20 }, () => newChatId());
    for (const c of chats) fake.userSays(c, '/start');
    for (const c of chats) await fake.waitForBot(c, 'What would you like to do?', 30_000);
    const sent = fake.calls().slice(since).filter((c) => LIMITED_METHODS.has(c.method) && c.status === 200);
    expect(sent).toHaveLength(40);
    expect(new Set(fake.deliveries.filter((d) => d.status === 200).map((d) => d.url))).toEqual(new Set([a.webhookUrl, b.webhookUrl]));
    expect(busiestWindow(fake, 1_000)).toBeLessThanOrEqual(10);
  }, 60_000);

  it('lets a private chat have a burst of 3 messages, then about one a second', async () => {
    const bot = await startBot(fake, { db: 'postgres', store: 'redis' }, { env: { TELEGRAM_CHAT_MESSAGES_PER_SECOND: '1' }, overrides: { db, store } });
    bots.push(bot);
    const chat = newChatId();
    for (let i = 0; i < 4; i++) fake.userSays(chat, '/start');
    for (let i = 0; i < 4; i++) await fake.nextBotMessage(chat, 20_000);
    expect(busiestWindow(fake, 1_000, chat)).toBeLessThanOrEqual(4);
    expect(busiestWindow(fake, 3_000, chat)).toBeLessThanOrEqual(6);
  }, 60_000);
});
