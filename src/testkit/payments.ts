import type { App } from '../app/app.js';

/**
 * The service hook a `confirm-payment:` step calls, looked up on `app.services` by these names in
 * order: the money service exposes one of them. Each is called as `fn(reference, outcome)` where
 * `reference` is the charge reference the chat showed and `outcome` is `'paid'` or `'failed'`, and
 * it does what the payment provider's confirmation would (post the ledger, queue the notice and the
 * e-mail). Without one, `services.money.charges.complete(chargeId, source)` / `fail(chargeId, reason)`
 * are called with the charge found by its reference (what the payment webhook does).
 */
export const PAYMENT_HOOKS = ['money.charges.confirmByReference', 'charges.confirmByReference', 'payments.confirm'] as const;

type Fn = (id: string, source: string) => Promise<unknown>;

/** The payment-confirmation hook is not provided by the services. */
export class NoPaymentHookError extends Error {
  readonly code = 'CONVERSE.NO_PAYMENT_HOOK';
}

/** Confirms (or fails) the payment of a charge by its reference, as the payment provider would. */
export async function confirmPayment(app: App, reference: string, outcome: 'paid' | 'failed'): Promise<void> {
  for (const path of PAYMENT_HOOKS) {
    const parts = path.split('.');
    let owner: unknown = app.services;
    for (const p of parts.slice(0, -1)) owner = (owner as Record<string, unknown> | undefined)?.[p];
    const f = (owner as Record<string, unknown> | undefined)?.[parts.at(-1)!];
    if (typeof f === 'function') {
      await (f as (ref: string, outcome: string) => Promise<unknown>).call(owner, reference, outcome);
      return;
    }
  }
  // The charge service confirms by charge id, as the provider's webhook does: find it by reference.
  const charges = (app.services as unknown as { money?: { charges?: { complete?: Fn; fail?: Fn } } }).money?.charges;
  if (charges?.complete && charges.fail) {
    const c = await app.db.prisma.charge.findFirst({ where: { reference }, select: { id: true } });
    if (!c) throw new NoPaymentHookError(`no charge with reference ${reference}`);
    await (outcome === 'paid' ? charges.complete.call(charges, c.id, 'script') : charges.fail.call(charges, c.id, 'script'));
    return;
  }
  throw new NoPaymentHookError(`no payment confirmation hook on the services (looked for ${PAYMENT_HOOKS.map((p) => `services.${p}(reference, outcome)`).join(', ')})`);
}
