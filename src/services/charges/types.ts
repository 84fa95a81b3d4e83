import type { Config } from '../../config/config.js';
import type { Database } from '../../infra/db/database.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';

/** What the charge service needs. */
export interface ChargeDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  config: Config;
}

/** A charge row as Prisma reads it. */
export type ChargeRow = NonNullable<Awaited<ReturnType<Database['prisma']['charge']['findUnique']>>>;
