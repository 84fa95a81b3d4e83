import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { wrapPglite } from './database.js';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrator.js';

/*
 * PGlite's first start on an empty folder runs initdb (about 4 s). `npm install` builds a migrated
 * data-folder image once (postinstall), and the first `npm start` on an empty DATA_DIR loads it
 * instead (about 1 s); the migrator still runs after, as on every start.
 */

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Where the image for this PGlite version and these migrations lives (inside node_modules). */
export function imagePath(migrationsDir = MIGRATIONS_DIR): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  const hash = createHash('sha256')
    .update(pkg.version)
    .update(readMigrations(migrationsDir).map((m) => `${m.name}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  return join(ROOT, 'node_modules/.cache/omnipay', `pglite-${hash}.tar.gz`);
}

/** The prepared image matching the installed PGlite and the migrations on disk, if one was built. */
export function findImage(): Blob | undefined {
  try {
    const path = imagePath();
    return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the image (in memory, migrated) unless it exists; returns its path. */
export async function buildImage(): Promise<string> {
  const path = imagePath();
  if (existsSync(path)) return path;
  const pg = await PGlite.create();
  const db = wrapPglite(pg);
  try {
    await migrate(db);
    const blob = await pg.dumpDataDir('gzip');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path + '.tmp', Buffer.from(await blob.arrayBuffer()));
    renameSync(path + '.tmp', path);
  } finally {
    await db.close();
  }
  return path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildImage().then(
    (path) => console.log(`omnipay: embedded database image ready (${path.slice(ROOT.length)})`),
    (err: Error) => {
      // Not fatal: the first start then initialises the embedded database itself.
      console.warn(`omnipay: embedded database image not built (${err.message}); the first start will take a few seconds longer`);
    },
  );
}
