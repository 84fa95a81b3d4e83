import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../lib/paths.js';
import type { Database, RawSql } from './database.js';

/** Prisma's own advisory lock key, so this migrator and `prisma migrate deploy` exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

/** The folder of SQL migrations in Prisma's format. */
export const MIGRATIONS_DIR = fromRoot('prisma', 'migrations');

/** A migration problem (a failed or edited migration); the message says what to do. */
export class MigrationError extends Error {
  readonly code = 'DB.MIGRATION';
}

/** What `migrate` did. */
export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Lists the migrations on disk in order. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies pending migrations and records them in `_prisma_migrations` exactly as Prisma does
 * (sha256 checksum of migration.sql, started/finished times, one step each), holding Prisma's
 * advisory lock on one connection so concurrent starters wait instead of migrating twice.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const files = readMigrations(dir);
  return db.withConnection(async (conn) => {
    await conn.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      return await applyPending(conn, files);
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]);
    }
  });
}

async function applyPending(conn: RawSql, files: MigrationFile[]): Promise<MigrationReport> {
  await conn.exec(CREATE_TABLE);
  const rows = await conn.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(`migration ${failed.migration_name} failed earlier; fix the database, then mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name})`);
  }
  const done = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
  const applied: string[] = [];
  for (const m of files) {
    const seen = done.get(m.name);
    if (seen !== undefined) {
      if (seen !== m.checksum) throw new MigrationError(`migration ${m.name} was edited after it was applied; restore it and add a new migration instead`);
      continue;
    }
    const id = randomUUID();
    await conn.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)', [id, m.checksum, m.name]);
    try {
      await conn.exec(`BEGIN;\n${m.sql}\n;COMMIT;`);
    } catch (err) {
      await conn.exec('ROLLBACK').catch(() => undefined);
      await conn.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String((err as Error).message)]);
      throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
    }
    await conn.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    applied.push(m.name);
  }
  return { applied, alreadyApplied: done.size };
}
