import type { App } from '@slack/bolt';
import { registerButtons } from './buttons.js';
import { registerCommand } from './command.js';
import { makeDesk } from './context.js';
import { registerViews } from './views.js';
import type { DeskPorts } from './ports.js';

export type { DeskPorts } from './ports.js';
export { DeskAccess, type DeskRole } from './access.js';
export { ACTION, VIEW } from './ids.js';
export { COMMAND, parseCommand, type DeskCommand } from './command.js';

/**
 * Registers the /omnipay command, the desk's actions and views on a Bolt app, and carries out any
 * approved request a previous process left before its money moved. (The Slack runner warns at
 * start when fewer than two people may act; /omnipay help says so too.)
 */
export function registerDesk(app: App, ports: DeskPorts): void {
  const desk = makeDesk(ports);
  registerCommand(app, desk);
  registerButtons(app, desk);
  registerViews(app, desk);
  if (!ports.settings.supportChannel) desk.log.warn('support desk: SLACK_SUPPORT_CHANNEL is not set; refunds and reversals have nowhere to wait for approval');
  void ports.approvals.settleApproved().then(
    (n) => n > 0 && desk.log.info({ requests: n }, 'support desk: carried out approved requests left by an earlier process'),
    (err: Error) => desk.log.error({ err: err.message }, 'support desk: could not carry out approved requests left by an earlier process'),
  );
}
