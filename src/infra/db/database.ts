import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.js';

export type { PrismaClient };
/** The client handed to a transaction callback. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Raw SQL access for the migrator, checks and benchmarks. */
export interface RawSql {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** The database as the rest of the program sees it. */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly prisma: PrismaClient;
  readonly raw: RawSql;
  /**
   * Runs `fn` in one transaction. On PGlite (one connection) transactions are queued one at a time,
   * since interleaved interactive transactions there time out; on PostgreSQL they run concurrently.
   */
  tx<T>(fn: (tx: Tx) => Promise<T>, opts?: { serializable?: boolean }): Promise<T>;
  /** Runs `fn` on one dedicated raw connection (advisory locks must stay on one session). */
  withConnection<T>(fn: (raw: RawSql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Options for {@link openPostgres}. */
export interface PostgresOptions {
  url: string;
  /** Use this schema instead of `public` (tests give each file its own). Created if missing. */
  schema?: string;
  poolSize?: number;
}

/** Connects to PostgreSQL through `@prisma/adapter-pg`. */
export async function openPostgres(opts: PostgresOptions): Promise<Database> {
  // Loaded here, not at the top: the embedded database (and the CLI on it) never needs them.
  const [{ default: pg }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
  const options = opts.schema ? `-c search_path="${opts.schema}"` : undefined;
  // The timeout also bounds the wait for a free pooled connection under load: generous, not a fast-fail.
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, options, connectionTimeoutMillis: 30_000 });
  pool.on('error', () => {
    // Idle client errors (server restart) surface on the next query; do not crash the process.
  });
  if (opts.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
  else await pool.query('SELECT 1');
  const adapter = new PrismaPg(pool, opts.schema ? { schema: opts.schema } : undefined);
  const prisma = new PrismaClient({ adapter });
  const raw: RawSql = {
    exec: async (sql) => void (await pool.query(sql)),
    query: async (sql, params) => (await pool.query(sql, params as unknown[])).rows,
  };
  return {
    kind: 'postgres',
    prisma,
    raw,
    tx: (fn, o) => prisma.$transaction(fn, { maxWait: 10_000, timeout: 20_000, ...(o?.serializable ? { isolationLevel: 'Serializable' } : {}) }),
    withConnection: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
        });
      } finally {
        client.release();
      }
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Wraps an open PGlite instance. */
export function wrapPglite(db: PGlite): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const raw: RawSql = {
    exec: async (sql) => void (await db.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params as unknown[])).rows,
  };
  return {
    kind: 'pglite',
    prisma,
    raw,
    tx: (fn) => serial(() => prisma.$transaction(fn, { maxWait: 60_000, timeout: 60_000 })),
    withConnection: (fn) => fn(raw),
    close: async () => {
      await queue.catch(() => undefined);
      await prisma.$disconnect();
      await db.close();
    },
  };
}

/** Where the embedded database lives inside DATA_DIR. */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pglite');
}
