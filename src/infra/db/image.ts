import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { packageRoot } from '../../lib/paths.js';
import { wrapPglite } from './database.js';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrator.js';

/*
 * PGlite's first start on an empty folder runs initdb (about 4 s). `npm install` builds a migrated
 * data-folder image once (postinstall), and the first `npm start` on an empty DATA_DIR loads it
 * instead; the migrator still runs after, as on every start, and applies any migration added since.
 */

const ROOT = packageRoot();
const CACHE = join(ROOT, 'node_modules/.cache/omnipay');

/** What an image holds: the PGlite version that wrote it and the migrations applied in it. */
interface ImageInfo {
  pglite: string;
  migrations: string[];
}

function current(migrationsDir = MIGRATIONS_DIR): ImageInfo {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  return { pglite: pkg.version, migrations: readMigrations(migrationsDir).map((m) => `${m.name}:${m.checksum}`) };
}

/** Where the image for this PGlite version and these migrations lives (inside node_modules). */
export function imagePath(migrationsDir = MIGRATIONS_DIR): string {
  const info = current(migrationsDir);
  const hash = createHash('sha256').update(info.pglite).update(info.migrations.join('\n')).digest('hex').slice(0, 16);
  return join(CACHE, `pglite-${hash}.tar.gz`);
}

/**
 * The prepared image for the installed PGlite: the one with exactly the migrations on disk, else
 * the one with the longest unchanged prefix of them (the migrator applies the rest).
 */
export function findImage(migrationsDir = MIGRATIONS_DIR): Blob | undefined {
  try {
    const exact = imagePath(migrationsDir);
    if (existsSync(exact)) return new Blob([readFileSync(exact)]);
    const now = current(migrationsDir);
    let best: { path: string; n: number } | undefined;
    for (const f of existsSync(CACHE) ? readdirSync(CACHE) : []) {
      if (!f.endsWith('.json')) continue;
      const info = JSON.parse(readFileSync(join(CACHE, f), 'utf8')) as ImageInfo;
      const path = join(CACHE, f.replace(/\.json$/, '.tar.gz'));
      const prefix = info.migrations.every((m, i) => now.migrations[i] === m);
      if (info.pglite === now.pglite && prefix && existsSync(path) && info.migrations.length > (best?.n ?? -1)) best = { path, n: info.migrations.length };
    }
    return best ? new Blob([readFileSync(best.path)]) : undefined;
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
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(path + '.tmp', Buffer.from(await blob.arrayBuffer()));
    renameSync(path + '.tmp', path);
    writeFileSync(path.replace(/\.tar\.gz$/, '.json'), JSON.stringify(current()));
  } finally {
    await db.close();
  }
  return path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildImage().then(
    (path) => console.log(`omnipay: embedded database image ready (${relative(ROOT, path)})`),
    (err: Error) => {
      // Not fatal: the first start then initialises the embedded database itself.
      console.warn(`omnipay: embedded database image not built (${err.message}); the first start will take a few seconds longer`);
    },
  );
}
