import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/infra/http/server.js';
import { newId } from '../../../src/lib/ids.js';
import { verifyLedger } from '../../../src/services/ledger/index.js';
import { SIGNATURE_HEADER, sign } from '../../../src/services/payments/signature.js';
import { paymentsWebhook } from '../../../src/webhooks/payments.js';
import { memberWithCards, type MemberFixture } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';
import { balanceOf, codeOf, fund, pendingCharge } from './helpers.js';

const SECRET = 'provider-secret-0123456789';

for (const setup of SETUPS) {
  describe(`held payments: support applies or returns them, on ${setup.db} + ${setup.store}`, () => {
    let sandbox: TestApp;
    let provider: TestApp;
    let http: HttpServer;
    let base: string;
    beforeAll(async () => {
      sandbox = await testApp(setup, { CARD_MAX_BALANCE: 'JPY 20000' });
      provider = await testApp(setup, { SANDBOX_PAYMENTS: 'false', PAYMENT_WEBHOOK_SECRET: SECRET });
      http = new HttpServer(provider.log);
      http.route('POST', '/payments/webhook', paymentsWebhook({ charges: provider.services.money.charges, payouts: provider.services.money.support, log: provider.log, secret: SECRET, clock: provider.clock }));
      base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    });
    afterAll(async () => {
      await http?.close();
      await sandbox?.close();
      await provider?.close();
    });

    /** A charge that expired unpaid and was then paid: held for support. */
    async function heldCharge(app: TestApp, m: MemberFixture, text = '5000') {
      const c = await pendingCharge(app, m, { text });
      await app.db.prisma.charge.update({ where: { id: c.chargeId }, data: { expiresAt: new Date(app.clock.now().getTime() - 1000) } });
      await app.services.money.charges.expireDue();
      expect(await app.services.money.charges.confirmByReference(c.reference, 'paid')).toMatchObject({ outcome: 'held', reason: 'late' });
      return c;
    }
    const decision = (chargeId: string, requestId: string) => ({ chargeId, requestId, actor: 'slack:U3' });
    const webhook = async (body: unknown) => {
      const raw = JSON.stringify(body);
      const res = await fetch(`${base}/payments/webhook`, { method: 'POST', body: raw, headers: { [SIGNATURE_HEADER]: sign(SECRET, raw, provider.clock.now()) } });
      return { status: res.status, json: await res.json() };
    };

    it('lists a late payment, and applying it credits the card once, as the charge would have (notice, e-mail, audit)', async () => {
      const app = sandbox;
      const m = await memberWithCards(app.db);
      const c = await heldCharge(app, m);
      expect((await app.services.money.support.heldPayments()).find((h) => h.chargeId === c.chargeId)).toMatchObject({ reference: c.reference, reason: 'late', paid: 5000n, paidCurrency: 'JPY' });
      expect(await app.services.money.support.lateApply(decision(c.chargeId, `a1:${c.chargeId}`))).toEqual({ chargeId: c.chargeId, status: 'completed', cardId: m.cardIds[0], replayed: false });
      expect(await app.services.money.support.lateApply(decision(c.chargeId, `a2:${c.chargeId}`))).toMatchObject({ status: 'completed', replayed: true });
      expect(await balanceOf(app, m.cardIds[0]!)).toBe(5000n);
      const charge = await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } });
      expect(charge).toMatchObject({ status: 'completed', heldReason: 'late', resolvedBy: 'slack:U3' });
      expect(await app.db.prisma.journalEntry.findUniqueOrThrow({ where: { id: charge.entryId! } })).toMatchObject({ idempotencyKey: `charge:${charge.quoteId}` });
      expect(await app.db.prisma.chatNotice.count({ where: { chatKey: `test:${m.memberId}`, key: 'charge-completed' } })).toBe(1);
      expect(await app.db.prisma.outbox.count({ where: { to: m.email, template: 'charge-completed' } })).toBe(1);
      expect(await app.db.prisma.auditLog.count({ where: { action: 'charge.late-apply', target: c.chargeId } })).toBe(1);
      // Applied: it is no longer held, so it cannot be returned as well.
      expect(await codeOf(app.services.money.support.lateReturn(decision(c.chargeId, `r1:${c.chargeId}`)))).toBe('SUPPORT.NOT_HELD');
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('applying respects the card: its replacement is credited; a closed card or a full one is refused', async () => {
      const app = sandbox;
      const m = await memberWithCards(app.db);
      const c1 = await heldCharge(app, m);
      const fresh = (await app.services.cards.replace(m.cardIds[0]!, 'test')).card.id;
      expect(await app.services.money.support.lateApply(decision(c1.chargeId, `ar:${c1.chargeId}`))).toMatchObject({ cardId: fresh });
      expect(await balanceOf(app, fresh)).toBe(5000n);

      const full = await memberWithCards(app.db);
      const c2 = await heldCharge(app, full);
      await fund(app, full.cardIds[0]!, 16000n);
      expect(await codeOf(app.services.money.support.lateApply(decision(c2.chargeId, `af:${c2.chargeId}`)))).toBe('SUPPORT.BALANCE_LIMIT');
      expect(await balanceOf(app, full.cardIds[0]!)).toBe(16000n);

      const closed = await memberWithCards(app.db);
      const c3 = await pendingCharge(app, closed);
      await app.db.prisma.card.update({ where: { id: closed.cardIds[0]! }, data: { status: 'closed' } });
      expect(await app.services.money.charges.complete(c3.chargeId, 'test')).toMatchObject({ status: 'held', reason: 'card-closed' });
      expect(await codeOf(app.services.money.support.lateApply(decision(c3.chargeId, `ac:${c3.chargeId}`)))).toBe('SUPPORT.CARD_CLOSED');
      expect((await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c3.chargeId } })).status).toBe('held');
    });

    it('sandbox: returning a held payment pays it back at once, with no ledger entry; once per request', async () => {
      const app = sandbox;
      const m = await memberWithCards(app.db);
      const c = await heldCharge(app, m);
      const r = await app.services.money.support.lateReturn({ ...decision(c.chargeId, `rt:${c.chargeId}`), reason: 'customer asked' });
      expect(r).toMatchObject({ status: 'returned', replayed: false });
      expect(await app.services.money.support.lateReturn(decision(c.chargeId, `rt:${c.chargeId}`))).toMatchObject({ payoutId: r.payoutId, replayed: true });
      expect(await app.db.prisma.payout.findUniqueOrThrow({ where: { id: r.payoutId } })).toMatchObject({ kind: 'late-return', status: 'succeeded', amount: 5000n, currency: 'JPY', cardAmount: 0n });
      expect(await app.db.prisma.journalEntry.count({ where: { memo: c.reference } })).toBe(0);
      expect(await codeOf(app.services.money.support.lateApply(decision(c.chargeId, `ap:${c.chargeId}`)))).toBe('SUPPORT.NOT_HELD');
      expect(await app.db.prisma.chatNotice.count({ where: { chatKey: `test:${m.memberId}`, key: 'charge-payment-returned' } })).toBe(1);
      expect(await app.db.prisma.auditLog.count({ where: { action: 'charge.late-return', target: c.chargeId } })).toBe(1);
    });

    it('provider webhook: a return waits for payout.succeeded; payout.failed puts the payment back on hold and alerts support', async () => {
      const app = provider;
      const m = await memberWithCards(app.db);
      const c = await heldCharge(app, m);
      const first = await app.services.money.support.lateReturn(decision(c.chargeId, `pw1:${c.chargeId}`));
      expect(first.status).toBe('returning');
      expect(await webhook({ payoutId: first.payoutId, event: 'payout.failed', reason: 'account closed' })).toEqual({ status: 200, json: { payoutId: first.payoutId, status: 'failed', replayed: false } });
      expect((await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } })).status).toBe('held');
      expect(await app.db.prisma.alert.count({ where: { kind: 'payout-failed', memberId: m.memberId } })).toBe(1);
      const second = await app.services.money.support.lateReturn(decision(c.chargeId, `pw2:${c.chargeId}`));
      expect(await webhook({ payoutId: second.payoutId, event: 'payout.succeeded' })).toEqual({ status: 200, json: { payoutId: second.payoutId, status: 'succeeded', replayed: false } });
      expect(await webhook({ payoutId: second.payoutId, event: 'payout.succeeded' })).toEqual({ status: 200, json: { payoutId: second.payoutId, status: 'succeeded', replayed: true } });
      expect(await webhook({ payoutId: second.payoutId, event: 'payout.failed' })).toMatchObject({ status: 409 });
      expect(await webhook({ payoutId: 'no-such-payout', event: 'payout.succeeded' })).toMatchObject({ status: 404 });
      expect((await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } })).status).toBe('returned');
    });

    it('provider webhook: a reversal debits the card at once and its payout stays pending until the provider confirms it', async () => {
      const app = provider;
      const m = await memberWithCards(app.db);
      const c = await pendingCharge(app, m);
      await app.services.money.charges.complete(c.chargeId, 'test');
      const r = await app.services.money.support.reverseCharge({ chargeId: c.chargeId, reason: 'fraud', requestId: `pr:${c.chargeId}`, actor: 'slack:U2' });
      expect(r.status).toBe('pending');
      expect(await balanceOf(app, m.cardIds[0]!)).toBe(0n);
      expect(await webhook({ payoutId: r.payoutId, event: 'payout.succeeded' })).toMatchObject({ status: 200, json: { status: 'succeeded' } });
      expect(await app.db.prisma.payout.findUniqueOrThrow({ where: { id: r.payoutId } })).toMatchObject({ status: 'succeeded' });
    });

    it('the database refuses a completed charge without its entry, a held one without its reason, and zero payouts or refunds', async () => {
      const app = sandbox;
      const m = await memberWithCards(app.db);
      const c = await pendingCharge(app, m);
      const refused = (sql: string) => app.db.raw.exec(sql).then(() => null, (e: Error) => e.message);
      expect(await refused(`UPDATE "Charge" SET status = 'completed' WHERE id = '${c.chargeId}'`)).toMatch(/Charge_completed_has_entry_check/);
      expect(await refused(`UPDATE "Charge" SET status = 'held' WHERE id = '${c.chargeId}'`)).toMatch(/Charge_held_has_reason_check/);
      expect(await refused(`INSERT INTO "Payout" (id, "chargeId", kind, "requestId", amount, currency, reason, actor) VALUES ('${newId()}', '${c.chargeId}', 'late-return', '${newId()}', 0, 'JPY', 'x', 'y')`)).toMatch(/Payout_amount_check/);
      expect(await refused(`INSERT INTO "Payout" (id, "chargeId", kind, "requestId", amount, currency, reason, actor) VALUES ('${newId()}', '${c.chargeId}', 'reversal', '${newId()}', 10, 'JPY', 'x', 'y')`)).toMatch(/Payout_amount_check/);
      const u = await app.services.money.usage.record({ processorId: `z:${c.chargeId}`, cardId: m.cardIds[0]!, kind: 'refund', amount: 10n, currency: 'JPY' });
      expect(await refused(`INSERT INTO "UsageRefund" (id, "usageId", "requestId", "cardId", amount, currency, reason, actor, "entryId") VALUES ('${newId()}', '${u.usageId}', '${newId()}', '${m.cardIds[0]}', 0, 'JPY', 'x', 'y', '${u.entryId}')`)).toMatch(/UsageRefund_amount_check/);
    });
  });
}
