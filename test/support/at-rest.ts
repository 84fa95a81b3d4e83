import { expect } from 'vitest';
import { createClient } from 'redis';
import { TEST_REDIS_URL } from './db.js';
import type { TestApp } from './app.js';

/**
 * Every place a secret could have leaked to, as "where: value" lines: every text and JSON column of
 * every table, the chats' stored snapshots, every Redis key under `redisPrefix`, and the app's logs.
 */
export async function everything(app: TestApp, redisPrefix: string | null, chatKeys: string[]): Promise<string[]> {
  const found: string[] = [];
  const cols = await app.db.raw.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'character')`,
  );
  expect(cols.length).toBeGreaterThan(20);
  for (const c of cols) {
    const rows = await app.db.raw.query<{ v: string | null }>(`SELECT "${c.column_name}"::text AS v FROM "${c.table_name}"`);
    for (const r of rows) if (r.v) found.push(`${c.table_name}.${c.column_name}: ${r.v}`);
  }
  for (const key of chatKeys) {
    const snap = await app.store.loadSnapshot(key);
    if (snap) found.push(`snapshot ${key}: ${snap.data}`);
  }
  if (redisPrefix) {
    const client = createClient({ url: TEST_REDIS_URL });
    await client.connect();
    try {
      for await (const batch of client.scanIterator({ MATCH: `${redisPrefix}*`, COUNT: 100 })) {
        for (const key of (Array.isArray(batch) ? batch : [batch]) as string[]) {
          const type = await client.type(key);
          const value =
            type === 'string' ? await client.get(key)
            : type === 'hash' ? JSON.stringify(await client.hGetAll(key))
            : type === 'list' ? JSON.stringify(await client.lRange(key, 0, -1))
            : type === 'zset' ? JSON.stringify(await client.zRange(key, 0, -1))
            : type === 'set' ? JSON.stringify(await client.sMembers(key))
            : '';
          found.push(`redis ${key}: ${value}`);
        }
      }
    } finally {
      await client.quit();
    }
  }
  found.push(...app.logs.lines.map((l) => `log: ${l}`));
  return found;
}
