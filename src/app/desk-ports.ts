import type { DeskPorts } from '../channels/slack/desk/index.js';
import type { App } from './app.js';

/** The Slack desk's ports from the app's support services (they satisfy the desk's shapes as they are). */
export function deskPorts(app: Pick<App, 'config' | 'log' | 'services'>): DeskPorts {
  const s = app.services.desk;
  return {
    log: app.log,
    settings: {
      supportUsers: app.config.SLACK_SUPPORT_USERS,
      adminUsers: app.config.SLACK_ADMIN_USERS,
      supportChannel: app.config.SLACK_SUPPORT_CHANNEL,
      timeZone: app.config.OPERATOR_TIMEZONE,
    },
    lookup: s.lookup,
    actions: s.actions,
    approvals: s.approvals,
    reports: s.reports,
  };
}
