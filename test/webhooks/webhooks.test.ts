import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../../src/infra/http/server.js';
import { paymentsWebhook } from '../../src/webhooks/payments.js';
import { processorWebhook } from '../../src/webhooks/processor.js';
import { SIGNATURE_HEADER, sign, verifySignature } from '../../src/services/payments/signature.js';
import { cardAccount, operatorAccount, post } from '../../src/services/ledger/index.js';
import { memberWithCards, type MemberFixture } from '../support/cards.js';
import { SETUPS } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

const SECRET = 'provider-secret-0123456789';
const PROC_SECRET = 'processor-secret-0123456789';
const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

describe('webhook signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const t = Math.floor(now.getTime() / 1000);
  const body = Buffer.from('{"reference":"CH-TEST","event":"payment.succeeded"}');

  it('signs with the timestamp and the timestamped body', () => {
    expect(sign(SECRET, body, now)).toBe(`t=${t},v1=${hmac(SECRET, `${t}.${body}`)}`);
  });

  it('accepts a fresh signature, up to 5 minutes either way, and any matching v1 among several', () => {
    expect(verifySignature(SECRET, body, sign(SECRET, body, now), now)).toBe(true);
    expect(verifySignature(SECRET, body, sign(SECRET, body, new Date(now.getTime() - 300_000)), now)).toBe(true);
    expect(verifySignature(SECRET, body, sign(SECRET, body, new Date(now.getTime() + 300_000)), now)).toBe(true);
    expect(verifySignature(SECRET, body, `t=${t},v1=${'0'.repeat(64)},v1=${hmac(SECRET, `${t}.${body}`)}`, now)).toBe(true);
  });

  it('refuses a signature outside the window, of another body or key, without a timestamp, or malformed', () => {
    expect(verifySignature(SECRET, body, sign(SECRET, body, new Date(now.getTime() - 301_000)), now)).toBe(false);
    expect(verifySignature(SECRET, body, sign(SECRET, body, new Date(now.getTime() + 301_000)), now)).toBe(false);
    expect(verifySignature(SECRET, Buffer.from(`${body} `), sign(SECRET, body, now), now)).toBe(false);
    expect(verifySignature(SECRET, body, sign('another-secret-0123456789', body, now), now)).toBe(false);
    // The old scheme (HMAC of the body alone) can be replayed forever: refused.
    expect(verifySignature(SECRET, body, `sha256=${hmac(SECRET, body.toString())}`, now)).toBe(false);
    // The timestamp is part of what is signed: moving it breaks the signature.
    expect(verifySignature(SECRET, body, `t=${t + 1},v1=${hmac(SECRET, `${t}.${body}`)}`, now)).toBe(false);
    for (const bad of [undefined, '', 't=,v1=', `v1=${hmac(SECRET, `${t}.${body}`)}`, `t=abc,v1=${hmac(SECRET, `${t}.${body}`)}`, `t=${t}`, ['a', 'b']]) {
      expect(verifySignature(SECRET, body, bad as string | undefined, now), String(bad)).toBe(false);
    }
  });
});

for (const setup of SETUPS) {
  describe(`signed webhooks on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let http: HttpServer;
    let base: string;

    beforeAll(async () => {
      app = await testApp(setup, { PAYMENT_WEBHOOK_SECRET: SECRET, PROCESSOR_WEBHOOK_SECRET: PROC_SECRET, SANDBOX_PAYMENTS: 'false' });
      http = new HttpServer(app.log);
      http.route('POST', '/payments/webhook', paymentsWebhook({ charges: app.services.money.charges, payouts: app.services.money.support, log: app.log, secret: SECRET, clock: app.clock }));
      http.route('POST', '/processor/transactions', processorWebhook({ usage: app.services.money.usage, secret: PROC_SECRET, clock: app.clock }));
      base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    });
    afterAll(async () => {
      await http?.close();
      await app?.close();
    });

    /** POSTs a JSON body signed as the provider would at `at` (the app's clock by default). */
    const send = async (path: string, body: unknown, o: { secret?: string; at?: Date; header?: string } = {}) => {
      const raw = JSON.stringify(body);
      const header = o.header ?? sign(o.secret ?? (path.startsWith('/payments') ? SECRET : PROC_SECRET), raw, o.at ?? app.clock.now());
      const res = await fetch(base + path, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: header } });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    async function pendingCharge(m: MemberFixture, text = '5000') {
      const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: 'JPY', to: 'JPY', text, lang: 'en' });
      if (!q.ok) throw new Error(`quote refused: ${q.code}`);
      return app.services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId: m.memberId, chatKey: `test:${m.memberId}`, lang: 'en' });
    }
    const statusOf = async (chargeId: string) => (await app.db.prisma.charge.findUniqueOrThrow({ where: { id: chargeId } })).status;
    const entries = (reference: string) => app.db.prisma.journalEntry.count({ where: { memo: reference } });

    it('payments: refuses stale and old-scheme signatures (401, charge untouched); a replay with a fresh signature changes nothing', async () => {
      const m = await memberWithCards(app.db);
      const c = await pendingCharge(m);
      const body = { reference: c.reference, event: 'payment.succeeded' };
      expect((await send('/payments/webhook', body, { at: new Date(app.clock.now().getTime() - 6 * 60_000) })).status).toBe(401);
      expect((await send('/payments/webhook', body, { header: `sha256=${hmac(SECRET, JSON.stringify(body))}` })).status).toBe(401);
      expect(await statusOf(c.chargeId)).toBe('pending');
      expect(await send('/payments/webhook', body)).toEqual({ status: 200, json: { chargeId: c.chargeId, status: 'completed', replayed: false } });
      expect(await send('/payments/webhook', body)).toEqual({ status: 200, json: { chargeId: c.chargeId, status: 'completed', replayed: true } });
      expect(await entries(c.reference)).toBe(1);
    });

    it('payments: an amount or currency that differs from the charge is refused (409), recorded for support, and the charge not completed', async () => {
      const m = await memberWithCards(app.db);
      const c = await pendingCharge(m);
      const wrongAmount = await send('/payments/webhook', { reference: c.reference, event: 'payment.succeeded', amount: '4999', currency: 'JPY' });
      expect(wrongAmount).toEqual({ status: 409, json: { chargeId: c.chargeId, error: 'PAYMENT.MISMATCH' } });
      expect((await send('/payments/webhook', { reference: c.reference, event: 'payment.succeeded', amount: '5000', currency: 'USD' })).status).toBe(409);
      expect((await send('/payments/webhook', { reference: c.reference, event: 'payment.succeeded', amount: '5000' })).status).toBe(400);
      expect((await send('/payments/webhook', { reference: c.reference, event: 'payment.succeeded', amount: 5000, currency: 'JPY' })).status).toBe(400);
      expect(await statusOf(c.chargeId)).toBe('pending');
      expect(await entries(c.reference)).toBe(0);
      const alerts = await app.db.prisma.alert.findMany({ where: { kind: 'payment-mismatch', memberId: m.memberId }, orderBy: { createdAt: 'asc' } });
      expect(alerts.map((a) => a.details)).toEqual([
        expect.objectContaining({ chargeId: c.chargeId, reference: c.reference, expected: '5000 JPY', received: '4999 JPY' }),
        expect.objectContaining({ chargeId: c.chargeId, expected: '5000 JPY', received: '5000.00 USD' }),
      ]);
      // The right amount and currency complete it.
      expect(await send('/payments/webhook', { reference: c.reference, event: 'payment.succeeded', amount: '5,000', currency: 'jpy' })).toMatchObject({ status: 200, json: { status: 'completed' } });
    });

    it('payments: a payment for an expired charge is recorded and answered 202 with its state (not lost), and support is alerted', async () => {
      const m = await memberWithCards(app.db);
      const c = await pendingCharge(m);
      app.clock.advance(25 * 3600_000);
      await app.services.money.charges.expireDue();
      expect(await statusOf(c.chargeId)).toBe('expired');
      const body = { reference: c.reference, event: 'payment.succeeded' };
      expect(await send('/payments/webhook', body)).toEqual({ status: 202, json: { chargeId: c.chargeId, status: 'held', reason: 'late', replayed: false } });
      expect(await send('/payments/webhook', body)).toEqual({ status: 202, json: { chargeId: c.chargeId, status: 'held', reason: 'late', replayed: true } });
      expect(await app.db.prisma.alert.count({ where: { kind: 'late-payment', memberId: m.memberId } })).toBe(1);
      expect(await entries(c.reference)).toBe(0);
    });

    it('processor: refuses a stale signature; accepts a fresh one; a replay with a fresh signature is the same decision', async () => {
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      await app.db.tx((tx) => post(tx, { idempotencyKey: `fund:${card}`, kind: 'charge', at: app.clock.now(), postings: [{ account: cardAccount(card, 'JPY'), amount: 1000n }, { account: operatorAccount('funding', 'JPY'), amount: -1000n }] }));
      const body = { id: `sig:${card}`, cardId: card, kind: 'purchase', amount: '300', currency: 'JPY' };
      expect((await send('/processor/transactions', body, { at: new Date(app.clock.now().getTime() + 6 * 60_000) })).status).toBe(401);
      expect((await send('/processor/transactions', body, { header: `sha256=${hmac(PROC_SECRET, JSON.stringify(body))}` })).status).toBe(401);
      expect(await send('/processor/transactions', body)).toMatchObject({ status: 200, json: { status: 'approved', replayed: false } });
      expect(await send('/processor/transactions', body)).toMatchObject({ status: 200, json: { status: 'approved', replayed: true } });
      expect((await app.db.prisma.ledgerAccount.findUniqueOrThrow({ where: { code: `card:${card}:JPY` } })).balance).toBe(700n);
    });
  });
}
