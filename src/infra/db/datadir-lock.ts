import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '../private-dir.js';

/** The data folder is held by another live process. */
export class DataDirBusyError extends Error {
  readonly code = 'DATA_DIR.BUSY';
  constructor(readonly dir: string, readonly pid: number) {
    super(`DATA_DIR ${dir} is in use by process ${pid}; operator commands reach it through that process, or set DATA_DIR to another folder`);
  }
}

/** Who holds the data folder, if a live process does. */
export function dataDirHolder(dir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dir, 'omnipay.lock'), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Takes the data folder for this process (the embedded database is opened by one process at a
 * time). A lock left by a dead process is taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  ensurePrivateDir(dir);
  const file = join(dir, 'omnipay.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = dataDirHolder(dir);
      if (holder !== null && holder !== process.pid) throw new DataDirBusyError(dir, holder);
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // raced with another starter; try again
      }
    }
  }
  throw new DataDirBusyError(dir, dataDirHolder(dir) ?? 0);
}
