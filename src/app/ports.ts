import type { ChannelPorts } from '../channels/ports.js';
import type { SlackPorts } from '../channels/slack/ports.js';
import type { App } from './app.js';
import { deskPorts } from './desk-ports.js';

/** The ports a chat channel gets from the app (see {@link ChannelPorts}). */
export function channelPorts(app: App): ChannelPorts {
  return {
    config: app.config,
    log: app.log,
    engine: app.engine,
    catalogue: app.catalogue,
    store: app.store,
    defaultLang: app.config.DEFAULT_LANGUAGE,
    setSender(channel, sender, budget) {
      app.engine.delivery.setSender(channel, sender, budget);
    },
    fatal(reason) {
      app.fail(reason);
    },
    setBotUsername(name) {
      app.botUsername = name;
      // Services hold the configuration; a deep link built there then names the right bot too.
      app.config.PUBLIC_BOT_USERNAME ??= name;
    },
  };
}

/** The ports of the Slack support app: the support services, satisfying the channel's interfaces as they are. */
export function slackPorts(app: App): SlackPorts {
  return {
    config: app.config,
    log: app.log,
    store: app.store,
    support: app.services.support.tickets,
    outbox: app.services.support.outbox,
    desk: deskPorts(app),
    now: () => app.clock.now(),
  };
}
