import type { Clock } from '../../lib/clock.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../../infra/db/database.js';
import type { PaymentProvider } from '../charges/provider.js';

/** What the support money operations need. */
export interface SupportMoneyDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'CARD_MAX_BALANCE' | 'OPERATOR_TIMEZONE'>;
  provider: PaymentProvider;
}
