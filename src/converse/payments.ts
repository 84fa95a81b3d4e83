import type { App } from '../app/app.js';

/**
 * The service hook a `confirm-payment:` step calls, looked up on `app.services` by these names in
 * order: the money service exposes one of them. Each is called as `fn(reference, outcome)` where
 * `reference` is the charge reference the chat showed and `outcome` is `'paid'` or `'failed'`, and
 * it does what the payment provider's confirmation would (post the ledger, queue the notice and the
 * e-mail).
 */
export const PAYMENT_HOOKS = ['charges.confirmByReference', 'charges.confirmPayment', 'payments.confirm', 'sandbox.confirm'] as const;

/** The payment-confirmation hook is not provided by the services. */
export class NoPaymentHookError extends Error {
  readonly code = 'CONVERSE.NO_PAYMENT_HOOK';
}

/** Confirms (or fails) the payment of a charge by its reference, as the payment provider would. */
export async function confirmPayment(app: App, reference: string, outcome: 'paid' | 'failed'): Promise<void> {
  for (const path of PAYMENT_HOOKS) {
    const [group, fn] = path.split('.') as [string, string];
    const owner = (app.services as unknown as Record<string, Record<string, unknown> | undefined>)[group];
    const f = owner?.[fn];
    if (typeof f === 'function') {
      await (f as (ref: string, outcome: string) => Promise<unknown>).call(owner, reference, outcome);
      return;
    }
  }
  throw new NoPaymentHookError(`no payment confirmation hook on the services (looked for ${PAYMENT_HOOKS.map((p) => `services.${p}(reference, outcome)`).join(', ')})`);
}
