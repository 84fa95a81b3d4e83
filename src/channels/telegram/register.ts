import { registerRunner } from '../../app/channels.js';
import { TelegramChannel } from './telegram.js';

/** The Telegram channel runs when `TELEGRAM_BOT_TOKEN` is set: polling, or a webhook with `TELEGRAM_WEBHOOK_URL`. */
registerRunner({
  name: 'telegram',
  isChatChannel: true,
  enabled: (app) => Boolean(app.config.TELEGRAM_BOT_TOKEN),
  async start(app, http) {
    const channel = await TelegramChannel.start(app, http);
    return () => channel.stop();
  },
});
