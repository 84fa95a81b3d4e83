import { startLoop } from '../lib/loop.js';
import { startMailSender } from '../services/mail/runner.js';
import { runPaymentsOnce } from '../services/payments/runner.js';
import type { App } from './app.js';
import { channelPorts } from './ports.js';
import { dispatchNotices } from './notices.js';
import type { Runner } from './runner.js';

/** A worker that runs `pass` in a loop (see {@link startLoop}). */
const loopRunner = (name: string, pass: (app: App) => Promise<unknown>, intervalMs: number, firstMs: number): Runner => ({
  name,
  enabled: () => true,
  async start(app) {
    const loop = startLoop({ name, pass: () => pass(app), intervalMs, firstMs, log: app.log });
    return () => loop.stop();
  },
});

/**
 * Every channel and worker the assistant can run, in start order. Heavy modules (grammY) load only
 * when their runner is enabled. Add a runner here when adding a channel or worker.
 */
export const RUNNERS: readonly Runner[] = [
  loopRunner('notice dispatcher', dispatchNotices, 500, 200),
  // Retries, and queues left by a process that died mid-delivery.
  loopRunner('delivery sweep', (app) => app.engine.delivery.sweep(), 500, 500),
  {
    name: 'telegram',
    isChatChannel: true,
    enabled: (app) => Boolean(app.config.TELEGRAM_BOT_TOKEN),
    async start(app, http) {
      const { TelegramChannel } = await import('../channels/telegram/telegram.js');
      const channel = await TelegramChannel.start(channelPorts(app), http);
      return () => channel.stop();
    },
  },
  { name: 'mail sender', enabled: () => true, start: async (app) => startMailSender(app) },
  loopRunner('payment scheduler', (app) => runPaymentsOnce(app.services.money.charges), 1000, 300),
  {
    name: 'payments webhook',
    enabled: (app) => Boolean(app.config.PAYMENT_WEBHOOK_SECRET),
    async start(app, http) {
      if (!http) throw new Error('PAYMENT_WEBHOOK_SECRET needs the HTTP server (HTTP_PORT)');
      const { paymentsWebhook } = await import('../webhooks/payments.js');
      http.route('POST', '/payments/webhook', paymentsWebhook({ charges: app.services.money.charges, payouts: app.services.money.support, log: app.log, secret: app.config.PAYMENT_WEBHOOK_SECRET!, clock: app.clock }));
      return async () => undefined;
    },
  },
  {
    name: 'processor webhook',
    enabled: (app) => Boolean(app.config.PROCESSOR_WEBHOOK_SECRET),
    async start(app, http) {
      if (!http) throw new Error('PROCESSOR_WEBHOOK_SECRET needs the HTTP server (HTTP_PORT)');
      const { processorWebhook } = await import('../webhooks/processor.js');
      http.route('POST', '/processor/transactions', processorWebhook({ usage: app.services.money.usage, secret: app.config.PROCESSOR_WEBHOOK_SECRET!, clock: app.clock }));
      return async () => undefined;
    },
  },
];

/** The runners that the configuration enables. */
export function enabledRunners(app: App): Runner[] {
  return RUNNERS.filter((r) => r.enabled(app));
}
