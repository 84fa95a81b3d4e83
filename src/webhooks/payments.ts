import { MoneyError, currency, parseDecimal } from '../domain/money/index.js';
import type { Handler } from '../infra/http/server.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { ChargeError } from '../services/charges/errors.js';
import type { PaymentEvent, PaymentEventResult } from '../services/charges/events.js';
import { SIGNATURE_HEADER, verifySignature } from '../services/payments/signature.js';

/** The payout side the provider's payout events settle (see services/support-money). */
export interface PayoutSettler {
  /** Marks a payout succeeded or failed; null when there is no such payout. */
  settlePayout(payoutId: string, outcome: 'succeeded' | 'failed', reason?: string): Promise<{ status: string; replayed: boolean } | null>;
}

/** What the payments webhook needs. */
export interface PaymentsWebhookDeps {
  charges: { paymentEvent(e: PaymentEvent): Promise<PaymentEventResult> };
  payouts: PayoutSettler;
  log: Logger;
  secret: string;
  clock: Clock;
}

const EVENTS = ['payment.succeeded', 'payment.failed', 'payout.succeeded', 'payout.failed'];

/**
 * `POST /payments/webhook`: the payment provider confirms or fails a charge, or settles a payout
 * (a reversal or a returned payment). Body (JSON):
 * `{ "chargeId": "…" | "reference": "CH-…", "event": "payment.succeeded" | "payment.failed", "amount"?: "15618", "currency"?: "JPY", "reason"?: "…" }`
 * or `{ "payoutId": "…", "event": "payout.succeeded" | "payout.failed", "reason"?: "…" }`, signed with
 * `x-omnipay-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (PAYMENT_WEBHOOK_SECRET,
 * 5-minute window). Idempotent: a repeated delivery answers with the current state and changes nothing.
 * Answers: 200 done; 202 the payment is recorded but held for support (late, or card closed);
 * 401 signature; 400 body; 404 unknown; 409 contradicts the charge (or the amount / currency differ).
 */
export function paymentsWebhook({ charges, payouts, log, secret, clock }: PaymentsWebhookDeps): Handler {
  return async (req, body, res) => {
    const json = (code: number, v: unknown): void => void res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    if (!verifySignature(secret, body, req.headers[SIGNATURE_HEADER], clock.now())) return json(401, { error: 'bad or expired signature' });
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(body.toString('utf8'));
    } catch {
      return json(400, { error: 'body is not JSON' });
    }
    if (typeof msg.event !== 'string' || !EVENTS.includes(msg.event)) return json(400, { error: `event must be one of ${EVENTS.join(', ')}` });
    const reason = typeof msg.reason === 'string' ? msg.reason.slice(0, 200) : undefined;
    if (msg.event.startsWith('payout.')) {
      if (typeof msg.payoutId !== 'string') return json(400, { error: 'payoutId required' });
      const r = await payouts.settlePayout(msg.payoutId, msg.event === 'payout.succeeded' ? 'succeeded' : 'failed', reason);
      if (!r) return json(404, { error: 'no such payout' });
      const wanted = msg.event === 'payout.succeeded' ? 'succeeded' : 'failed';
      return json(r.status === wanted ? 200 : 409, { payoutId: msg.payoutId, status: r.status, replayed: r.replayed });
    }
    const where = typeof msg.chargeId === 'string' ? { id: msg.chargeId } : typeof msg.reference === 'string' ? { reference: msg.reference } : null;
    if (!where) return json(400, { error: 'chargeId or reference required' });
    let received: PaymentEvent['received'];
    if (msg.amount !== undefined || msg.currency !== undefined) {
      if (typeof msg.amount !== 'string' || typeof msg.currency !== 'string') return json(400, { error: 'amount (decimal string) and currency (ISO code) go together' });
      try {
        const cur = currency(msg.currency).code;
        received = { amount: parseDecimal(msg.amount, cur), currency: cur };
      } catch (err) {
        if (err instanceof MoneyError) return json(400, { error: err.code });
        throw err;
      }
    }
    try {
      const r = await charges.paymentEvent({ where, event: msg.event as PaymentEvent['event'], ...(received ? { received } : {}), ...(reason ? { reason } : {}), source: 'webhook' });
      switch (r.outcome) {
        case 'not-found':
          return json(404, { error: 'no such charge' });
        case 'mismatch':
          return json(409, { chargeId: r.chargeId, error: 'PAYMENT.MISMATCH' });
        case 'held':
          return json(202, { chargeId: r.chargeId, status: r.status, reason: r.reason, replayed: r.replayed });
        case 'conflict':
          log.warn({ charge: r.chargeId, status: r.status, event: msg.event }, 'payment webhook conflicts with the charge status');
          return json(409, { chargeId: r.chargeId, status: r.status });
        default:
          return json(200, { chargeId: r.chargeId, status: r.status, replayed: r.replayed });
      }
    } catch (err) {
      if (err instanceof ChargeError) return json(409, { error: err.code });
      throw err;
    }
  };
}
