import { Registry, collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import type { DestinationStream } from 'pino';
import type { FlowEntry } from '../../flows/index.js';
import { Engine } from '../engine/engine.js';
import { Catalogue } from '../i18n/i18n.js';
import { openPostgres, pgliteDir, type Database } from '../infra/db/database.js';
import { openPglite } from '../infra/db/pglite.js';
import { lockDataDir } from '../infra/db/datadir-lock.js';
import { migrate } from '../infra/db/migrator.js';
import { DbSnapshots } from '../infra/store/db-snapshots.js';
import { MemoryStore } from '../infra/store/memory.js';
import { RedisStore } from '../infra/store/redis.js';
import type { StateStore } from '../infra/store/store.js';
import { AdjustableClock, type Clock } from '../lib/clock.js';
import type { Config } from '../config/config.js';
import { buildRootMachine } from './flows.js';
import { deliveryOutcomes } from './delivery-outcomes.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { resolveAppSecret } from './secret.js';
import { createServices, type Services } from './services.js';
import type { MailSecretSource } from '../services/mail/secrets.js';

/** A running assistant: everything wired, nothing listening yet. */
export interface App {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Database;
  store: StateStore;
  catalogue: Catalogue;
  metrics: Registry;
  services: Services;
  engine: Engine;
  /**
   * The Telegram bot's username (without @) for deep links `https://t.me/<name>?start=…`: set by the
   * Telegram channel from `getMe` at start, else `PUBLIC_BOT_USERNAME`.
   */
  botUsername?: string;
  /** Why the assistant cannot go on, once a part said so (see {@link fail}); health is bad from then on. */
  fatal?: string;
  /** A part cannot go on: records why and tells {@link onFail} listeners (the first reason wins). */
  fail(reason: string): void;
  /** Called once with the reason when {@link fail} is first called. */
  onFail(listener: (reason: string) => void): void;
  /** Makes the one-time secrets of queued e-mails at send time (the mail sender's `mailSecrets`). */
  mailSecrets: MailSecretSource;
  /** Things to stop on shutdown, last added first. */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export type { ChatSender } from '../engine/delivery.js';

/** Ways tests and scripts replace parts. */
export interface AppOverrides {
  clock?: Clock;
  log?: Logger;
  logDestination?: DestinationStream;
  db?: Database;
  store?: StateStore;
  /** Extra flows (tests). */
  flows?: FlowEntry[];
  /** Skip collecting process metrics (many apps in one test process). */
  quietMetrics?: boolean;
}

/** Opens the database and store, migrates, and wires services and the engine. */
export async function openApp(config: Config, o: AppOverrides = {}): Promise<App> {
  const log = o.log ?? createLogger(config.LOG_LEVEL, o.logDestination);
  const clock = o.clock ?? new AdjustableClock(config.CLOCK_OFFSET_MS ?? 0);
  const closers: (() => Promise<void> | void)[] = [];
  const onClose = (fn: () => Promise<void> | void) => void closers.push(fn);
  const close = async () => {
    for (const fn of closers.reverse()) {
      try {
        await fn();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'error while closing');
      }
    }
    closers.length = 0;
  };
  try {
    let db = o.db;
    if (!db) {
      if (config.embedded) {
        const release = lockDataDir(config.DATA_DIR);
        onClose(release);
        db = await openPglite(pgliteDir(config.DATA_DIR));
      } else {
        db = await openPostgres({ url: config.DATABASE_URL! });
      }
      const opened = db;
      onClose(() => opened.close());
    }
    const report = await migrate(db);
    if (report.applied.length) log.info({ applied: report.applied }, 'migrations applied');
    const secret = resolveAppSecret(config);
    let store = o.store;
    if (!store) {
      store = config.REDIS_URL ? await RedisStore.connect(config.REDIS_URL) : new MemoryStore(new DbSnapshots(db));
      const s = store;
      onClose(() => s.close());
    }
    const metrics = new Registry();
    if (!o.quietMetrics) collectDefaultMetrics({ register: metrics });
    const turns = new Counter({ name: 'omnipay_turns_total', help: 'Conversation turns', labelNames: ['channel', 'outcome'], registers: [metrics] });
    const turnSeconds = new Histogram({ name: 'omnipay_turn_seconds', help: 'Turn duration', labelNames: ['channel'], registers: [metrics], buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    const catalogue = new Catalogue();
    const services = createServices({ config, log, clock, db, store, secret });
    const engine = new Engine(
      buildRootMachine(services, o.flows),
      store,
      catalogue,
      clock,
      log.child({ part: 'engine' }),
      {
        sessionIdleMs: config.SESSION_IDLE_MINUTES * 60_000,
        sessionMaxMs: config.SESSION_MAX_HOURS * 3600_000,
        conversationIdleMs: config.CONVERSATION_IDLE_HOURS * 3600_000,
        turnTimeoutMs: config.TURN_TIMEOUT_SECONDS * 1000,
        defaultLang: config.DEFAULT_LANGUAGE,
      },
      {
        turn: (channel, outcome, ms) => {
          turns.inc({ channel, outcome });
          turnSeconds.observe({ channel }, ms / 1000);
        },
        ...deliveryOutcomes(db, log, services.support.tickets),
        languageChanged: async (memberId, lang) => {
          await db.prisma.member.updateMany({ where: { id: memberId }, data: { language: lang } });
        },
      },
    );
    const failListeners: ((reason: string) => void)[] = [];
    const app: App = { config, log, clock, db, store, catalogue, metrics, services, engine, mailSecrets: services.members.mailSecrets, ...(config.PUBLIC_BOT_USERNAME ? { botUsername: config.PUBLIC_BOT_USERNAME } : {}), onClose, close,
      fail(reason) {
        if (app.fatal) return;
        app.fatal = reason;
        for (const l of failListeners) l(reason);
      },
      onFail(listener) {
        failListeners.push(listener);
      },
    };
    return app;
  } catch (err) {
    await close();
    throw err;
  }
}
