import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { wrapPglite, type Database } from './database.js';
import { findImage } from './image.js';

/**
 * Opens embedded PostgreSQL (PGlite) persisted in `dir`, or in memory when `dir` is undefined. A new
 * folder starts from the migrated image `npm install` prepared (see image.ts) instead of initdb.
 */
export async function openPglite(dir?: string, loadDataDir?: Blob): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  if (dir && !loadDataDir && !existsSync(join(dir, 'PG_VERSION'))) {
    loadDataDir = findImage();
  }
  const db = new PGlite(dir, loadDataDir ? { loadDataDir } : {});
  const wrapped = wrapPglite(db);
  // PGlite compiles its WebAssembly off the main thread meanwhile, while Prisma loads its query
  // compiler on it ($connect reaches no database with this adapter): the two start-up costs overlap.
  const connecting = wrapped.prisma.$connect();
  try {
    await Promise.all([db.waitReady, connecting]);
  } catch (err) {
    await connecting.catch(() => undefined);
    if (db.ready) await db.close().catch(() => undefined);
    throw err;
  }
  return wrapped;
}
