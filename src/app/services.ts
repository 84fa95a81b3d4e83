import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Database } from '../infra/db/database.js';
import type { StateStore } from '../infra/store/store.js';
import { CaptchaService } from '../services/captcha/captcha.js';
import { CardsService } from '../services/cards/service.js';

/** Everything services are built from. */
export interface ServiceDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Database;
  store: StateStore;
  /** The application key (APP_SECRET or the embedded one). */
  secret: string;
}

/** The domain services (members, captcha, cards, money, support …), built once per process. */
export interface Services {
  deps: ServiceDeps;
  /** Image CAPTCHAs per chat (flows use it through `provideCaptcha` in flows.ts). */
  captcha: CaptchaService;
  /** Cards: issuance, enrollment, PINs, freezing, replacement (`onReplace` hook for the ledger). */
  cards: CardsService;
}

/** Builds the services. */
export function createServices(deps: ServiceDeps): Services {
  return {
    deps,
    cards: new CardsService({ db: deps.db, clock: deps.clock, log: deps.log.child({ part: 'cards' }), secret: deps.secret, config: deps.config }),
    captcha: new CaptchaService({ store: deps.store, clock: deps.clock, db: deps.db, log: deps.log.child({ part: 'captcha' }), secret: deps.secret, ...(deps.config.CAPTCHA_TEST_ANSWER ? { testAnswer: deps.config.CAPTCHA_TEST_ANSWER } : {}) }),
  };
}
