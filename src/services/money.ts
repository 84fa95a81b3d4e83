import type { ServiceDeps } from './deps.js';
import type { Database } from '../infra/db/database.js';
import { Catalogue } from '../i18n/i18n.js';
import type { MoneyLang } from '../domain/money/index.js';
import { balanceText } from './history/balance.js';
import { HistoryService } from './history/service.js';
import { UsageService } from './usage/service.js';
import { ChargeService } from './charges/service.js';
import { SupportMoney } from './support-money/index.js';

/** The money side: charges and payments, card usage, balances and history. */
export interface MoneyServices {
  charges: ChargeService;
  usage: UsageService;
  history: HistoryService;
  /** Support's money operations (refunds, reversals, held payments, payouts) for the Slack desk. */
  support: SupportMoney;
  /** The balance inquiry's text for a member (null: no enrolled card). */
  balance(memberId: string, lang: MoneyLang): Promise<string | null>;
}

/** Builds the money services (they render history and balance lines with their own catalogue). */
export function createMoneyServices(deps: ServiceDeps & { db: Database }): MoneyServices {
  const catalogue = new Catalogue();
  const log = deps.log.child({ part: 'money' });
  const charges = new ChargeService({ db: deps.db, clock: deps.clock, log, config: deps.config });
  return {
    charges,
    support: new SupportMoney({ db: deps.db, clock: deps.clock, log: log.child({ part: 'support-money' }), config: deps.config, provider: charges.provider }),
    usage: new UsageService({ db: deps.db, clock: deps.clock, log }),
    history: new HistoryService({ db: deps.db, clock: deps.clock, zone: deps.config.OPERATOR_TIMEZONE, catalogue }),
    balance: (memberId, lang) => balanceText(deps.db, catalogue, memberId, lang),
  };
}
