import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config/config.js';
import { ensurePrivateDir } from '../infra/private-dir.js';

/**
 * The application key. From APP_SECRET when set; on the embedded defaults, generated once into
 * DATA_DIR/app-secret (mode 0600) so restarts keep hashes and codes valid.
 */
export function resolveAppSecret(config: Config): string {
  if (config.APP_SECRET) return config.APP_SECRET;
  if (!config.embedded) throw new ConfigError('APP_SECRET: required with DATABASE_URL');
  ensurePrivateDir(config.DATA_DIR);
  const file = join(config.DATA_DIR, 'app-secret');
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  const s = randomBytes(32).toString('hex');
  writeFileSync(file, s + '\n', { mode: 0o600 });
  return s;
}
