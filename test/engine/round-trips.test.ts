import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisStore } from '../../src/infra/store/redis.js';
import { testApp, type TestApp } from '../support/app.js';

describe('Redis round trips of a turn', () => {
  let app: TestApp;
  const shown: string[] = [];
  beforeAll(async () => {
    app = await testApp({ db: 'postgres', store: 'redis' });
    // A channel that draws on rate-limit buckets, as Telegram does.
    app.engine.delivery.setSender('rt', async (_chat, out) => {
      for (const o of out) shown.push(o.kind === 'text' ? o.text : o.kind);
    }, (chatId) => [{ key: 'rt:bot', perSecond: 1000, burst: 1 }, { key: `rt:chat:${chatId}`, perSecond: 100, burst: 3 }]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('costs 3 round trips: take the turn and read the snapshot, save and queue and claim and pay, deliver and release', async () => {
    const store = app.store as RedisStore;
    await app.engine.handle({ channel: 'rt', chatId: 'c1', kind: 'command', command: 'start', arg: '', updateKey: 'rt-0' });
    await app.engine.deliver('rt', 'c1');
    const counts: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const before = store.roundTrips;
      await app.engine.handle({ channel: 'rt', chatId: 'c1', kind: 'command', command: 'help', arg: '', updateKey: `rt-${i}` });
      await app.engine.deliver('rt', 'c1');
      counts.push(store.roundTrips - before);
    }
    expect(counts).toEqual(Array.from({ length: 10 }, () => 3));
    expect(shown.filter((t) => t.includes('/cancel'))).toHaveLength(10);
  });
});
