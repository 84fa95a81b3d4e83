import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITED_METHODS } from '../../../src/channels/telegram/limiter.js';
import type { Database } from '../../../src/infra/db/database.js';
import type { StateStore } from '../../../src/infra/store/store.js';
import { reopenStore, testDatabase, testStore } from '../../support/db.js';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { newChatId, startBot, type BotProcess } from './harness.js';
import { telegramTestFlows } from './tg-flows.js';

/**
 * Two assistant processes behind one webhook on PostgreSQL + Redis, the updates of every chat spread
 * across both by a round-robin balancer with several deliveries in flight: the way several replicas run.
 */
describe('scale-out: two processes behind the webhook', () => {
  let fake: FakeTelegram;
  let db: Database;
  let store: StateStore;
  const bots: BotProcess[] = [];
  const stores: StateStore[] = [];
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    db = await testDatabase('postgres');
    store = await testStore('redis');
    for (let i = 0; i < 2; i++) {
      // Each process has its own Redis connection and in-process state, over the same keys.
      const own = await reopenStore('redis', { db, store });
      stores.push(own);
      bots.push(await startBot(fake, { db: 'postgres', store: 'redis' }, { webhook: true, env: { TELEGRAM_MAX_MESSAGES_PER_SECOND: '25' }, overrides: { db, store: own, flows: telegramTestFlows() } }));
    }
    fake.balanceWebhook(bots.map((b) => b.webhookUrl!), 8);
  });
  afterAll(async () => {
    for (const b of bots.splice(0)) await b.stop();
    for (const s of stores) await s.close();
    await store?.close();
    await db?.close();
    await fake?.close();
  });

  it('keeps every chat in order through bursts, processes nothing twice, and shares one rate limit', async () => {
    const chats = Array.from({ length: 8 }, () => newChatId());
    for (const c of chats) fake.userSays(c, '/echo');
    for (const c of chats) await fake.waitForBot(c, 'echo ready', 30_000);
    const since = fake.calls().length;
    // Five messages typed fast in every chat at once, and each update delivered twice.
    for (let i = 1; i <= 5; i++) for (const c of chats) fake.redeliver(fake.userSays(c, `m${i}`));
    for (const c of chats) await fake.waitForBot(c, 'echo 5:', 30_000);
    await fake.settle(300);
    for (const c of chats) {
      expect(fake.botTexts(c).filter((t) => /^echo \d+:/.test(t))).toEqual(Array.from({ length: 5 }, (_, i) => `echo ${i + 1}: m${i + 1}`));
    }
    const served = new Set(fake.deliveries.filter((d) => d.status === 200).map((d) => d.url));
    expect(served).toEqual(new Set(bots.map((b) => b.webhookUrl)));
    // 40 replies through one limiter of 25 a second across both processes.
    const at = fake.calls().slice(since).filter((c) => LIMITED_METHODS.has(c.method) && c.status === 200).map((c) => c.at).sort((a, b) => a - b);
    expect(at).toHaveLength(40);
    let busiest = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[i]! - at[j]! >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(25);
  }, 90_000);

  it('answers a double tap once: the second press of a screen is refused as expired', async () => {
    const chat = newChatId();
    fake.userSays(chat, '/picture');
    await fake.waitForBot(chat, 'picture 1', 30_000);
    const msg = fake.visible(chat).find((m) => m.keyboard?.length)!;
    const data = msg.keyboard!.flat().find((b) => b.text === 'csv')!.callback_data!;
    const a = fake.pressData(chat, msg.messageId, data);
    const b = fake.pressData(chat, msg.messageId, data);
    await fake.settle(500);
    const documents = fake.calls('sendDocument').filter((c) => Number(c.params.chat_id) === chat);
    expect(documents).toHaveLength(1);
    const answers = [a, b].map((u) => fake.callbackAnswer((u.callback_query as { id: string }).id));
    expect(answers.every((x) => x?.answered)).toBe(true);
    expect(answers.filter((x) => x?.text?.includes('expired'))).toHaveLength(1);
  }, 60_000);
});
