import type { ServiceDeps } from '../services/deps.js';
import { CaptchaService } from '../services/captcha/captcha.js';
import { CardsService } from '../services/cards/service.js';
import { createMoneyServices, type MoneyServices } from '../services/money.js';
import { moveBalancesOnReplace } from '../services/ledger/replace.js';
import { createMemberServices, type MemberServices } from '../services/members/index.js';
import { createSupportServices, type SupportServices } from '../services/support/index.js';
import { createSupportDesk, type SupportDesk } from '../services/support/desk/index.js';


/** The domain services (members, captcha, cards, money, support …), built once per process. */
export interface Services {
  deps: ServiceDeps;
  /** Image CAPTCHAs per chat (flows use it through `provideCaptcha` in flows.ts). */
  captcha: CaptchaService;
  /** Cards: issuance, enrollment, PINs, freezing, replacement (`onReplace` hook for the ledger). */
  cards: CardsService;
  /** Money: charges and payments, card usage, balances, history (ledger underneath). */
  money: MoneyServices;
  /** Members: sign-up, activation codes, log-in and chat sessions, passwords. */
  members: MemberServices;
  /** Support: hand-off tickets and the Slack outbox. */
  support: SupportServices;
  /** The support desk: look-ups, actions, two-person approvals, history exports, rates, audit log. */
  desk: SupportDesk;
}

/** Builds the services. */
export function createServices(deps: ServiceDeps): Services {
  const cards = new CardsService({ db: deps.db, clock: deps.clock, log: deps.log.child({ part: 'cards' }), secret: deps.secret, config: deps.config });
  // A replaced card's balances move to the new card in the replacement's own transaction.
  cards.onReplace(moveBalancesOnReplace(deps.clock));
  const money = createMoneyServices(deps);
  const members = createMemberServices(deps);
  return {
    money,
    deps,
    members,
    support: createSupportServices(deps),
    cards,
    desk: createSupportDesk(deps, { cards, members, money }),
    captcha: new CaptchaService({ store: deps.store, clock: deps.clock, db: deps.db, log: deps.log.child({ part: 'captcha' }), secret: deps.secret, ...(deps.config.CAPTCHA_TEST_ANSWER ? { testAnswer: deps.config.CAPTCHA_TEST_ANSWER } : {}) }),
  };
}

export type { ServiceDeps };
