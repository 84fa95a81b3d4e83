import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite } from '../../src/infra/db/pglite.js';
import { buildImage, findImage } from '../../src/infra/db/image.js';
import { MIGRATIONS_DIR, readMigrations } from '../../src/infra/db/migrator.js';

describe('embedded database image', () => {
  it('starts a new DATA_DIR already migrated, and is used while newer migrations only add to it', async () => {
    await buildImage(); // made by postinstall; a no-op then
    expect(findImage()).toBeDefined();

    const dir = mkdtempSync(join(tmpdir(), 'omnipay-image-'));
    const db = await openPglite(join(dir, 'pglite'));
    try {
      // Loaded from the image: the migrations are there before any migrator ran on this folder.
      const rows = await db.raw.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
    } finally {
      await db.close();
    }

    const later = mkdtempSync(join(tmpdir(), 'omnipay-migrations-'));
    cpSync(MIGRATIONS_DIR, later, { recursive: true });
    cpSync(join(later, readMigrations()[0]!.name), join(later, '29991231000000_later'), { recursive: true });
    writeFileSync(join(later, '29991231000000_later', 'migration.sql'), 'SELECT 1;\n');
    expect(findImage(later)).toBeDefined();

    // An edited migration makes the image unusable (the migrator would refuse it).
    writeFileSync(join(later, readMigrations()[0]!.name, 'migration.sql'), '-- edited\n');
    expect(findImage(later)).toBeUndefined();
  }, 180_000);
});
