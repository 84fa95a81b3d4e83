import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import type { FlowEntry } from '../../flows/index.js';
import { openApp, type App } from '../app/app.js';
import { AdjustableClock } from '../lib/clock.js';
import { loadConfig } from '../config/config.js';
import { openPostgres, wrapPglite, type Database } from '../infra/db/database.js';
import { migrate } from '../infra/db/migrator.js';
import { DbSnapshots } from '../infra/store/db-snapshots.js';
import { MemoryStore } from '../infra/store/memory.js';
import { RedisStore } from '../infra/store/redis.js';
import type { StateStore } from '../infra/store/store.js';
import { MailSink } from './mail-sink.js';

/** Where a script's own database and store live. */
export interface Isolation {
  /** Embedded PostgreSQL in memory (default), or a fresh schema on `databaseUrl`. */
  db?: 'pglite' | 'postgres';
  /** In-process store (default), or Redis under a fresh key prefix on `redisUrl`. */
  store?: 'memory' | 'redis';
  databaseUrl?: string;
  redisUrl?: string;
  /** E-mails go out by the console sender (default), or by SMTP to a local server the script reads. */
  mail?: 'console' | 'smtp';
}

/** The isolation the environment suggests: PostgreSQL when DATABASE_URL is set, Redis when REDIS_URL is. */
export function isolationFromEnv(env: NodeJS.ProcessEnv = process.env): Isolation {
  return {
    db: env.DATABASE_URL ? 'postgres' : 'pglite',
    store: env.REDIS_URL ? 'redis' : 'memory',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  };
}

/** Extra flows and a hook on each app opened (the runner's own tests). */
export interface WorldExtras {
  flows?: FlowEntry[];
  onApp?: (app: App) => void;
}

/** Every log line the script's app wrote (for `logs-exclude:` and for failure reports). */
export class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
}

function unique(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

async function freshDatabase(iso: Isolation): Promise<Database> {
  if (iso.db === 'postgres') {
    if (!iso.databaseUrl) throw new Error('isolation on PostgreSQL needs a database URL');
    const schema = unique('converse');
    const db = await openPostgres({ url: iso.databaseUrl, schema, poolSize: 10 });
    await migrate(db);
    const close = db.close;
    return { ...db, close: async () => {
      await db.raw.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await close();
    } };
  }
  const pg = await PGlite.create({ loadDataDir: await migratedImage() });
  const db = wrapPglite(pg);
  await migrate(db);
  return db;
}

let image: Promise<Blob> | undefined;

/**
 * A migrated embedded database as a data-folder image, made once per process (or the one the test
 * set-up left): loading a copy per script is much faster than initdb and migrating each time.
 */
function migratedImage(): Promise<Blob> {
  const file = process.env.OMNIPAY_TEST_PGLITE_IMAGE;
  if (file && existsSync(file)) return Promise.resolve(new Blob([readFileSync(file)]));
  image ??= (async () => {
    const pg = await PGlite.create();
    const db = wrapPglite(pg);
    await migrate(db);
    const blob = await pg.dumpDataDir('gzip');
    await db.close();
    return blob;
  })();
  return image;
}

/**
 * A script's world: its own database and store, the app on them, and a clock scripts can advance.
 * `restart()` closes the app and opens a new one on the same database and store data, as a process
 * restart would (in-process store state that is not persisted is lost, as it would be).
 */
export class ScriptWorld {
  readonly clock = new AdjustableClock();
  readonly logs = new LogLines();
  app!: App;
  private store!: StateStore;
  private readonly redisPrefix = `${unique('omnipay-converse')}:`;

  private constructor(
    private readonly iso: Isolation,
    private readonly env: Record<string, string>,
    private readonly db: Database,
    private readonly extra: WorldExtras,
    /** Where the script reads the e-mails its apps sent. */
    readonly mail: MailSink,
  ) {}

  /** Creates the database, store and mail sink, and opens the first app. */
  static async open(iso: Isolation, env: Record<string, string>, extra: WorldExtras = {}): Promise<ScriptWorld> {
    const db = await freshDatabase(iso);
    const mail = await MailSink.open(iso.mail ?? 'console');
    const w = new ScriptWorld(iso, env, db, extra, mail);
    try {
      await w.openApp();
    } catch (err) {
      await mail.close();
      await db.close();
      throw err;
    }
    return w;
  }

  private async newStore(): Promise<StateStore> {
    if (this.iso.store === 'redis') {
      if (!this.iso.redisUrl) throw new Error('isolation on Redis needs a Redis URL');
      return RedisStore.connect(this.iso.redisUrl, this.redisPrefix);
    }
    return new MemoryStore(new DbSnapshots(this.db));
  }

  private async openApp(): Promise<void> {
    this.store = await this.newStore();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: join(tmpdir(), 'omnipay-converse', unique('data')),
      APP_SECRET: 'converse-secret-0123456789abcdef0123456789abcdef',
      LOG_LEVEL: 'debug',
      CAPTCHA_TEST_ANSWER: 'TEST42',
      SANDBOX_PAYMENT_DELAY_SECONDS: '0',
      ...this.mail.env(),
      ...this.env,
    });
    const store = this.store;
    this.app = await openApp(config, { db: this.db, store, clock: this.clock, logDestination: this.logs, quietMetrics: true, ...(this.extra.flows ? { flows: this.extra.flows } : {}) });
    this.app.onClose(() => store.close());
    this.mail.attach(this.app);
    this.extra.onApp?.(this.app);
  }

  /** Stops the app and opens a new one on the same data. */
  async restart(): Promise<App> {
    await this.app.close();
    await this.openApp();
    return this.app;
  }

  /** Closes the app, drops the script's database and stops its mail sink. */
  async close(): Promise<void> {
    await this.app?.close();
    await this.db.close();
    await this.mail.close();
  }
}
