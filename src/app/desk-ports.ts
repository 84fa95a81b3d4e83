import type { DeskPorts } from '../channels/slack/desk/index.js';
import type { App } from './app.js';

/** The ports of the desk half of the Slack app (a stub: the desk half fills it in). */
export function deskPorts(_app: App): DeskPorts {
  return {};
}
