import { MoneyError, parseDecimal } from '../domain/money/index.js';
import type { Handler } from '../infra/http/server.js';
import type { Clock } from '../lib/clock.js';
import { SIGNATURE_HEADER, verifySignature } from '../services/payments/signature.js';
import { USAGE_KINDS, UsageError, type UsageKind, type UsageService } from '../services/usage/service.js';

/** What the processor webhook needs. */
export interface ProcessorWebhookDeps {
  usage: Pick<UsageService, 'record'>;
  secret: string;
  clock: Clock;
}

/**
 * `POST /processor/transactions`: card usage from the card processor. Body (JSON):
 * `{ "id": "<processor id>", "cardId": "…", "kind": "purchase" | "atm" | "refund", "amount": "12.50", "currency": "USD", "merchant"?: "…" }`
 * (amount as a decimal string, never a float), signed like the payments webhook
 * (`x-omnipay-signature: t=…,v1=…`, 5-minute window) with PROCESSOR_WEBHOOK_SECRET. Answers
 * `{ status: approved | declined, reason }`; idempotent by `id` (the same id with other content: 409).
 */
export function processorWebhook({ usage, secret, clock }: ProcessorWebhookDeps): Handler {
  return async (req, body, res) => {
    const json = (code: number, v: unknown): void => void res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(v));
    if (!verifySignature(secret, body, req.headers[SIGNATURE_HEADER], clock.now())) return json(401, { error: 'bad or expired signature' });
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(body.toString('utf8'));
    } catch {
      return json(400, { error: 'body is not JSON' });
    }
    const str = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : undefined);
    const id = str('id');
    const cardId = str('cardId');
    const kind = str('kind');
    const cur = str('currency')?.toUpperCase();
    if (!id || id.length > 200 || !cardId || !kind || !USAGE_KINDS.includes(kind as UsageKind) || !cur || typeof m.amount !== 'string') {
      return json(400, { error: 'id, cardId, kind (purchase|atm|refund), amount (decimal string) and currency are required' });
    }
    try {
      const amount = parseDecimal(m.amount, cur);
      const merchant = str('merchant');
      const r = await usage.record({ processorId: id, cardId, kind: kind as UsageKind, amount, currency: cur, ...(merchant ? { merchant } : {}) });
      return json(200, { id, usageId: r.usageId, status: r.status, reason: r.reason, replayed: r.replayed });
    } catch (err) {
      if (err instanceof MoneyError) return json(400, { error: err.code });
      if (err instanceof UsageError) return json(err.code === 'USAGE.CARD_NOT_FOUND' ? 404 : err.code === 'USAGE.ID_CONFLICT' ? 409 : 400, { error: err.code });
      throw err;
    }
  };
}
