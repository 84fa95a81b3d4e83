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
  const db = await PGlite.create(dir, loadDataDir ? { loadDataDir } : {});
  return wrapPglite(db);
}
