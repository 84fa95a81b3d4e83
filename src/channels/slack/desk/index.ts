import type { App } from '@slack/bolt';

/**
 * What the desk half of the Slack support app needs from the rest of the assistant (lookups,
 * actions, approvals, audit). A stub: the desk half (slash command, action buttons, modals,
 * two-person approval, audit log) fills it in.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DeskPorts {}

/** Registers the desk's commands, actions and views on the Bolt app (a stub the desk half fills in). */
export function registerDesk(_app: App, _ports: DeskPorts): void {}
