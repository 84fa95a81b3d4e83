import type { Handler } from '../infra/http/server.js';
import type { Logger } from '../lib/logger.js';
import { ChargeError } from '../services/charges/errors.js';
import type { ChargeService } from '../services/charges/service.js';
import { SIGNATURE_HEADER, verifySignature } from '../services/payments/signature.js';

/** What the payments webhook needs. */
export interface PaymentsWebhookDeps {
  charges: Pick<ChargeService, 'complete' | 'fail' | 'find'>;
  log: Logger;
  secret: string;
}

/**
 * `POST /payments/webhook`: a payment provider confirms or fails a charge. Body (JSON):
 * `{ "chargeId": "…" | "reference": "CH-…", "event": "payment.succeeded" | "payment.failed", "reason"?: "…" }`,
 * signed with `x-omnipay-signature: sha256=<hex HMAC-SHA256 of the raw body with PAYMENT_WEBHOOK_SECRET>`.
 * Idempotent: a repeated delivery answers 200 with the charge's current status and changes nothing.
 */
export function paymentsWebhook({ charges, log, secret }: PaymentsWebhookDeps): Handler {
  return async (req, body, res) => {
    const json = (code: number, v: unknown): void => void res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(v));
    if (!verifySignature(secret, body, req.headers[SIGNATURE_HEADER])) return json(401, { error: 'bad signature' });
    let msg: { chargeId?: unknown; reference?: unknown; event?: unknown; reason?: unknown };
    try {
      msg = JSON.parse(body.toString('utf8'));
    } catch {
      return json(400, { error: 'body is not JSON' });
    }
    if (msg.event !== 'payment.succeeded' && msg.event !== 'payment.failed') return json(400, { error: 'event must be payment.succeeded or payment.failed' });
    const where = typeof msg.chargeId === 'string' ? { id: msg.chargeId } : typeof msg.reference === 'string' ? { reference: msg.reference } : null;
    if (!where) return json(400, { error: 'chargeId or reference required' });
    const charge = await charges.find(where);
    if (!charge) return json(404, { error: 'no such charge' });
    try {
      const r = msg.event === 'payment.succeeded'
        ? await charges.complete(charge.id, 'webhook')
        : await charges.fail(charge.id, typeof msg.reason === 'string' ? msg.reason : 'payment failed');
      const wanted = msg.event === 'payment.succeeded' ? 'completed' : 'failed';
      if (r.status !== wanted) {
        // Paid after it expired (or failed after it completed): support must look at it.
        log.warn({ charge: charge.id, status: r.status, event: msg.event }, 'payment webhook conflicts with the charge status');
        return json(409, { chargeId: charge.id, status: r.status });
      }
      return json(200, { chargeId: charge.id, status: r.status, replayed: r.replayed });
    } catch (err) {
      if (err instanceof ChargeError) return json(409, { error: err.code });
      throw err;
    }
  };
}
