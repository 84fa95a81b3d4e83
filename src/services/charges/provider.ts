import type { Config, PaymentMode } from '../../config/config.js';

/** How a payment provider asks to be paid. */
export interface PaymentProvider {
  /** `sandbox` confirms by itself after a delay; `webhook` waits for `/payments/webhook`. */
  readonly name: PaymentMode;
  /** When the sandbox confirms a charge created at `now` (null: the provider's webhook will). */
  confirmAt(now: Date): Date | null;
  /** The catalogue key telling how to pay. */
  readonly payKey: string;
}

/** The built-in providers. */
export function paymentProvider(config: Pick<Config, 'SANDBOX_PAYMENTS' | 'SANDBOX_PAYMENT_DELAY_SECONDS'>): PaymentProvider {
  if (config.SANDBOX_PAYMENTS) {
    const delay = config.SANDBOX_PAYMENT_DELAY_SECONDS * 1000;
    return { name: 'sandbox', payKey: 'charge-pay-sandbox', confirmAt: (now) => new Date(now.getTime() + delay) };
  }
  return { name: 'webhook', payKey: 'charge-pay-external', confirmAt: () => null };
}
