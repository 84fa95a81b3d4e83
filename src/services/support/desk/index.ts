/**
 * The support desk's services: look-ups, the actions support takes at once, two-person approval of
 * refunds and reversals, history exports, FX rates and the audit log. The Slack desk
 * (src/channels/slack/desk) only translates Slack requests into calls of these.
 */
import type { ServiceDeps } from '../../deps.js';
import type { CardsService } from '../../cards/service.js';
import type { MemberServices } from '../../members/index.js';
import type { MoneyServices } from '../../money.js';
import { DeskActions } from './actions.js';
import { Approvals } from './approvals.js';
import { DeskLookup } from './lookup.js';
import { DeskReports } from './reports.js';

export { DeskActions } from './actions.js';
export { Approvals, type ApprovalView, type DecisionResult, type RequestOutcome } from './approvals.js';
export { DeskLookup, searchFieldOf } from './lookup.js';
export { DeskReports, type HistoryReport, type RateView, type SetRateOutcome } from './reports.js';
export * from './types.js';

/** The desk's services as one group (`services.desk`). */
export interface SupportDesk {
  lookup: DeskLookup;
  actions: DeskActions;
  approvals: Approvals;
  reports: DeskReports;
}

/** Every Slack user who may act at the desk: support users and admins (admins are support too). */
export function supportUsers(config: ServiceDeps['config']): string[] {
  return [...new Set([...config.SLACK_SUPPORT_USERS, ...config.SLACK_ADMIN_USERS])];
}

/** Builds the desk's services over the cards, member and money services. */
export function createSupportDesk(deps: ServiceDeps, s: { cards: CardsService; members: MemberServices; money: MoneyServices }): SupportDesk {
  const { db, clock, config } = deps;
  const log = deps.log.child({ part: 'support-desk' });
  return {
    lookup: new DeskLookup({ db, clock, money: s.money.support, loginFailures: (key) => s.members.sessions.loginFailures(key) }),
    actions: new DeskActions({ db, clock, log, cards: s.cards, sessions: s.members.sessions, members: s.members.members }),
    approvals: new Approvals({ db, clock, log, money: s.money.support, approvers: supportUsers(config), ttlMs: config.SLACK_APPROVAL_HOURS * 3600_000 }),
    reports: new DeskReports({ db, clock, config, history: s.money.history, admins: config.SLACK_ADMIN_USERS }),
  };
}
