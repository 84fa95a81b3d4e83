import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChannelName } from '../../src/converse/format.js';
import { loadScripts } from '../../src/converse/parse.js';
import { formatResult } from '../../src/converse/report.js';
import { runScript } from '../../src/converse/runner.js';
import type { Isolation } from '../../src/converse/world.js';
import { TEST_PG_URL, TEST_REDIS_URL } from '../support/db.js';

/**
 * The conversation suite: every script under test/conversations runs on the in-process channel
 * (embedded database, in-process store), through Telegram (grammY against the fake Bot API;
 * PostgreSQL and Redis) and in the console chat (PostgreSQL, in-process store).
 */
const RUNS: { channel: ChannelName; isolation: Isolation }[] = [
  { channel: 'inprocess', isolation: { db: 'pglite', store: 'memory' } },
  { channel: 'telegram', isolation: { db: 'postgres', store: 'redis', databaseUrl: TEST_PG_URL, redisUrl: TEST_REDIS_URL } },
  { channel: 'console', isolation: { db: 'postgres', store: 'memory', databaseUrl: TEST_PG_URL } },
];

const DIR = new URL('.', import.meta.url).pathname;
const files = readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();

for (const file of files) {
  describe(file, () => {
    for (const script of loadScripts(join(DIR, file))) {
      for (const { channel, isolation } of RUNS.filter((r) => script.channels.includes(r.channel))) {
        it(`${script.name} [${channel}]`, async () => {
          const r = await runScript(script, { channel, isolation });
          expect(r.status, formatResult(r)).toBe('passed');
        });
      }
    }
  });
}
