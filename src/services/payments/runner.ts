import type { App } from '../../app/app.js';
import { registerRunner } from '../../app/channels.js';

/**
 * One pass of the payment scheduler: completes sandbox charges whose confirmation time has come
 * (scheduled in `Charge.confirmAt`, so a restart loses nothing) and expires unpaid charges.
 */
export async function runPaymentsOnce(app: App): Promise<{ confirmed: number; expired: number }> {
  const confirmed = await app.services.money.charges.confirmDueSandbox();
  const expired = await app.services.money.charges.expireDue();
  return { confirmed, expired };
}

registerRunner({
  name: 'payments',
  enabled: () => true,
  async start(app) {
    let stopped = false;
    let running: Promise<unknown> = Promise.resolve();
    let timer: NodeJS.Timeout;
    const tick = () => {
      if (stopped) return;
      running = runPaymentsOnce(app)
        .catch((err: Error) => app.log.warn({ err: err.message }, 'payment scheduler failed'))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, 1000);
        });
    };
    timer = setTimeout(tick, 300);
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  },
});
