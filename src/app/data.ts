import type { Config } from '../config/config.js';
import type { Database } from '../infra/db/database.js';
import { lockDataDir } from '../infra/db/datadir-lock.js';
import { migrate } from '../infra/db/migrator.js';
import { AdjustableClock, type Clock } from '../lib/clock.js';

/** The database alone, migrated, for CLI commands that need nothing else (`migrate`, `rates`, `ledger verify`). */
export interface OpenData {
  config: Config;
  clock: Clock;
  db: Database;
  close(): Promise<void>;
}

/**
 * Opens just the database — no store, services, engine or flows — taking the embedded data folder's
 * lock as openApp does. openApp can take the result over (`openApp(config, { db })`).
 */
export async function openData(config: Config): Promise<OpenData> {
  const [{ openPostgres, pgliteDir }, { openPglite }] = await Promise.all([import('../infra/db/database.js'), import('../infra/db/pglite.js')]);
  const release = config.embedded ? lockDataDir(config.DATA_DIR) : () => undefined;
  let db: Database | undefined;
  try {
    db = config.embedded ? await openPglite(pgliteDir(config.DATA_DIR)) : await openPostgres({ url: config.DATABASE_URL! });
    await migrate(db);
  } catch (err) {
    await db?.close().catch(() => undefined);
    release();
    throw err;
  }
  const opened = db;
  return {
    config,
    clock: new AdjustableClock(config.CLOCK_OFFSET_MS ?? 0),
    db: opened,
    close: async () => {
      try {
        await opened.close();
      } finally {
        release();
      }
    },
  };
}
