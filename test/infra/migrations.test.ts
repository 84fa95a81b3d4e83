import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, wrapPglite, type Database } from '../../src/infra/db/database.js';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from '../../src/infra/db/migrator.js';
import { TEST_PG_URL, uniqueName } from '../support/db.js';

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
}

const onDisk = readMigrations();
const opened: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of opened.reverse()) await close().catch(() => undefined);
});

/**
 * A fresh, empty database of the given kind (PGlite in memory, or a new schema on PostgreSQL).
 * `premigrated` allows PGlite to start from global set-up's migrated image (initdb takes seconds).
 */
async function freshDatabase(kind: 'pglite' | 'postgres', schema = uniqueName('mig'), premigrated = false): Promise<Database> {
  if (kind === 'pglite') {
    const image = process.env.OMNIPAY_TEST_PGLITE_IMAGE;
    const pg = premigrated && image ? await PGlite.create({ loadDataDir: new Blob([readFileSync(image)]) }) : await PGlite.create();
    const db = wrapPglite(pg);
    opened.push(() => db.close());
    return db;
  }
  const db = await openPostgres({ url: TEST_PG_URL, schema, poolSize: 3 });
  opened.push(async () => {
    await db.raw.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.close();
  });
  return db;
}

/** A copy of the migrations folder that a test may change. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'omnipay-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`migrator on ${kind}`, () => {
    it('migrates a fresh database, records it as Prisma does, and is a no-op the second time', async () => {
      const db = await freshDatabase(kind);
      const first = await migrate(db);
      expect(first.applied).toEqual(onDisk.map((m) => m.name));
      expect(first.alreadyApplied).toBe(0);

      const rows = await db.raw.query<MigrationRow>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
      for (const r of rows) {
        const sql = readFileSync(join(MIGRATIONS_DIR, r.migration_name, 'migration.sql'));
        expect(r.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(r.finished_at).toBeInstanceOf(Date);
        expect(r.finished_at!.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
        expect(r.rolled_back_at).toBeNull();
        expect(r.applied_steps_count).toBe(1);
      }
      // Prisma's own column types, so `prisma migrate deploy` reads the table as its own.
      const cols = await db.raw.query<{ column_name: string; type: string }>(
        `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          WHERE c.relname = '_prisma_migrations' AND c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attnum`,
      );
      expect(cols).toEqual([
        { column_name: 'id', type: 'character varying(36)' },
        { column_name: 'checksum', type: 'character varying(64)' },
        { column_name: 'finished_at', type: 'timestamp with time zone' },
        { column_name: 'migration_name', type: 'character varying(255)' },
        { column_name: 'logs', type: 'text' },
        { column_name: 'rolled_back_at', type: 'timestamp with time zone' },
        { column_name: 'started_at', type: 'timestamp with time zone' },
        { column_name: 'applied_steps_count', type: 'integer' },
      ]);

      const again = await migrate(db);
      expect(again).toEqual({ applied: [], alreadyApplied: onDisk.length });
      expect((await db.raw.query('SELECT 1 FROM "_prisma_migrations"')).length).toBe(onDisk.length);
    }, 180_000); // a fresh PGlite runs initdb: seconds, much more on a busy machine

    it('applies a new migration folder later, and refuses an edited one', async () => {
      const db = await freshDatabase(kind, undefined, true);
      const dir = copyOfMigrations();
      await migrate(db, dir);
      // A later migration, as a developer would add it.
      const later = join(dir, '29991231000000_probe');
      cpSync(join(dir, onDisk[0]!.name), later, { recursive: true });
      writeFileSync(join(later, 'migration.sql'), '-- CreateTable\nCREATE TABLE "Probe" ("id" TEXT NOT NULL);\n');
      expect((await migrate(db, dir)).applied).toEqual(['29991231000000_probe']);

      writeFileSync(join(later, 'migration.sql'), '-- CreateTable\nCREATE TABLE "Probe" ("id" TEXT NOT NULL, "x" INTEGER);\n');
      const err = await migrate(db, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toBe('migration 29991231000000_probe was edited after it was applied; restore it and add a new migration instead');
    });

    it('records a failing migration and refuses to go on until it is resolved', async () => {
      const db = await freshDatabase(kind, undefined, true);
      const dir = copyOfMigrations();
      await migrate(db, dir);
      const bad = join(dir, '29991231000001_broken');
      cpSync(join(dir, onDisk[0]!.name), bad, { recursive: true });
      writeFileSync(join(bad, 'migration.sql'), 'CREATE TABLE "Half" ("id" TEXT);\nSELECT no_such_function();\n');
      await expect(migrate(db, dir)).rejects.toThrow(/^migration 29991231000001_broken failed: /);
      // The statement before the failure was rolled back with it.
      expect(await db.raw.query(`SELECT 1 FROM pg_class WHERE relname = 'Half' AND relnamespace = current_schema()::regnamespace`)).toEqual([]);
      const [row] = await db.raw.query<MigrationRow>(`SELECT * FROM "_prisma_migrations" WHERE migration_name = '29991231000001_broken'`);
      expect(row!.finished_at).toBeNull();
      expect(row!.logs).toContain('no_such_function');
      await expect(migrate(db, dir)).rejects.toThrow(/failed earlier; fix the database, then mark it rolled back/);
    });
  });
}

describe('migrator on PostgreSQL, two processes at once', () => {
  it('applies each migration once while both call migrate concurrently (advisory lock)', async () => {
    const schema = uniqueName('race');
    const a = await freshDatabase('postgres', schema);
    const b = await openPostgres({ url: TEST_PG_URL, schema, poolSize: 3 });
    opened.push(() => b.close());
    const c = await openPostgres({ url: TEST_PG_URL, schema, poolSize: 3 });
    opened.push(() => c.close());
    const reports = await Promise.all([migrate(a), migrate(b), migrate(c)]);
    const applied = reports.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual(onDisk.map((m) => m.name).sort());
    const rows = await a.raw.query<{ migration_name: string; n: string }>('SELECT migration_name, count(*)::text AS n FROM "_prisma_migrations" GROUP BY migration_name');
    expect(rows.every((r) => r.n === '1')).toBe(true);
    expect(rows.length).toBe(onDisk.length);
  });
});
