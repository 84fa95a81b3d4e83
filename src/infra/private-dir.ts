import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** DATA_DIR (or a folder in it) is open to other users and could not be closed. */
export class PrivateDirError extends Error {
  readonly code = 'DATA_DIR.NOT_PRIVATE';
}

/**
 * Creates `dir` (and missing parents) readable only by this user (0700), and tightens an existing
 * one that group or others may enter: DATA_DIR holds the embedded database, the app secret, the
 * control socket and its token. A folder this user cannot tighten (owned by someone else) is refused
 * with one line rather than used.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(dir, mode & 0o700);
  } catch (err) {
    throw new PrivateDirError(`${dir} is open to other users (mode ${mode.toString(8).padStart(4, '0')}) and could not be made private: ${(err as Error).message.split('\n')[0]}`);
  }
}
