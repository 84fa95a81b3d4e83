import type { Clock } from '../lib/clock.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../lib/logger.js';
import type { Database } from '../infra/db/database.js';
import type { StateStore } from '../infra/store/store.js';

/** Everything services are built from (the composition root supplies it). */
export interface ServiceDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Database;
  store: StateStore;
  /** The application key (APP_SECRET or the embedded one). */
  secret: string;
}
