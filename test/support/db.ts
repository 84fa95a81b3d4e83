import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { openPostgres, wrapPglite, type Database } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrator.js';
import { MemoryStore } from '../../src/infra/store/memory.js';
import { RedisStore } from '../../src/infra/store/redis.js';
import { DbSnapshots } from '../../src/infra/store/db-snapshots.js';
import type { StateStore } from '../../src/infra/store/store.js';
import { createClient } from 'redis';

/** The PostgreSQL server tests use (trust auth on this machine). */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
/** The Redis server tests use. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type DbKind = 'pglite' | 'postgres';
export type StoreKind = 'memory' | 'redis';
/** The two set-ups every engine-level test runs on. */
export const SETUPS: { db: DbKind; store: StoreKind }[] = [
  { db: 'pglite', store: 'memory' },
  { db: 'postgres', store: 'redis' },
];

/** A unique name for a schema or key prefix. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * A fresh migrated database: PGlite loaded from the image made by global set-up, or a new schema on
 * the real PostgreSQL server (dropped by `close`).
 */
export async function testDatabase(kind: DbKind): Promise<Database & { schema?: string }> {
  if (kind === 'pglite') {
    const image = process.env.OMNIPAY_TEST_PGLITE_IMAGE;
    const pg = image ? await PGlite.create({ loadDataDir: new Blob([readFileSync(image)]) }) : await PGlite.create();
    const db = wrapPglite(pg);
    await migrate(db);
    return db;
  }
  const schema = uniqueName('t');
  const db = await openPostgres({ url: TEST_PG_URL, schema, poolSize: 20 });
  await migrate(db);
  const close = db.close;
  return {
    ...db,
    schema,
    close: async () => {
      await db.raw.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await close();
    },
  };
}

/** A fresh store: in-process (snapshots in `db`) or Redis under a unique key prefix. */
export async function testStore(kind: StoreKind, db?: Database): Promise<StateStore> {
  if (kind === 'memory') return new MemoryStore(db ? new DbSnapshots(db) : undefined);
  return RedisStore.connect(TEST_REDIS_URL, `${uniqueName('omnipay-test')}:`);
}

/** A second store object over the same data as `app.store` (a restarted or second process). */
export async function reopenStore(kind: StoreKind, app: { db: Database; store: StateStore }): Promise<StateStore> {
  if (kind === 'memory') return new MemoryStore(new DbSnapshots(app.db));
  return RedisStore.connect(TEST_REDIS_URL, (app.store as RedisStore).prefix);
}

/** The key that marks a Redis database (1-15) as taken by one test process. */
const REDIS_DB_OWNER = 'omnipay-test:owner';

/**
 * A Redis database (1-15) of this caller's own, emptied, for a spawned assistant (which uses
 * unprefixed keys, so two at once on one database would share their chats' turns and snapshots).
 * Taken with a marker key that lapses after `holdMs` (a crashed test frees it by then); `release`
 * empties it and gives it back.
 */
export async function exclusiveRedisDb(holdMs = 60 * 60_000): Promise<{ url: string; release(): Promise<void> }> {
  const base = TEST_REDIS_URL.replace(/\/\d*$/, '');
  const owner = uniqueName('owner');
  const order = Array.from({ length: 15 }, (_, i) => 1 + i).sort(() => Math.random() - 0.5);
  for (const n of order) {
    const client = createClient({ url: `${base}/${n}` });
    await client.connect();
    const taken = (await client.set(REDIS_DB_OWNER, owner, { NX: true, PX: holdMs })) === 'OK';
    if (!taken) {
      await client.quit();
      continue;
    }
    // Only what another run left behind: the marker stays.
    for await (const keys of client.scanIterator({ COUNT: 500 })) {
      const stale = (Array.isArray(keys) ? keys : [keys]).filter((k) => k !== REDIS_DB_OWNER);
      if (stale.length) await client.del(stale);
    }
    return {
      url: `${base}/${n}`,
      async release() {
        if ((await client.get(REDIS_DB_OWNER)) === owner) await client.flushDb();
        await client.quit();
      },
    };
  }
  throw new Error(`no free Redis database (1-15) on ${base}: each holds ${REDIS_DB_OWNER} (tests running, or crashed within the last ${holdMs / 60_000} min)`);
}
