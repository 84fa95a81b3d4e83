import type { ChargeService } from '../charges/service.js';

/**
 * One pass of the payment scheduler: completes sandbox charges whose confirmation time has come
 * (scheduled in `Charge.confirmAt`, so a restart loses nothing) and expires unpaid charges.
 */
export async function runPaymentsOnce(charges: Pick<ChargeService, 'confirmDueSandbox' | 'expireDue'>): Promise<{ confirmed: number; expired: number }> {
  const confirmed = await charges.confirmDueSandbox();
  const expired = await charges.expireDue();
  return { confirmed, expired };
}
