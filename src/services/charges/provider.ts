import type { Config, PaymentMode } from '../../config/config.js';

/** Money going back to a payer: a reversal or a returned (held) payment. */
export interface RefundRequest {
  payoutId: string;
  /** The charge reference the payer paid under. */
  reference: string;
  /** Minor units of `currency` (the currency the payer paid in). */
  amount: bigint;
  currency: string;
}

/** How a payment provider asks to be paid, and pays back. */
export interface PaymentProvider {
  /** `sandbox` confirms by itself after a delay; `webhook` waits for `/payments/webhook`. */
  readonly name: PaymentMode;
  /** When the sandbox confirms a charge created at `now` (null: the provider's webhook will). */
  confirmAt(now: Date): Date | null;
  /** The catalogue key telling how to pay. */
  readonly payKey: string;
  /**
   * Returns money to the payer. Called inside the transaction that records the payout, so it must
   * not do I/O: `succeeded` (the sandbox, at once) or `pending` (the webhook provider confirms later
   * with `payout.succeeded` / `payout.failed`). A provider with an outbound API would queue the call.
   */
  refund(r: RefundRequest): 'succeeded' | 'pending';
}

/** The built-in providers. */
export function paymentProvider(config: Pick<Config, 'SANDBOX_PAYMENTS' | 'SANDBOX_PAYMENT_DELAY_SECONDS'>): PaymentProvider {
  if (config.SANDBOX_PAYMENTS) {
    const delay = config.SANDBOX_PAYMENT_DELAY_SECONDS * 1000;
    return { name: 'sandbox', payKey: 'charge-pay-sandbox', confirmAt: (now) => new Date(now.getTime() + delay), refund: () => 'succeeded' };
  }
  return { name: 'webhook', payKey: 'charge-pay-external', confirmAt: () => null, refund: () => 'pending' };
}
