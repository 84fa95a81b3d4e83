import type { ChannelPorts } from '../channels/ports.js';
import type { App } from './app.js';

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
