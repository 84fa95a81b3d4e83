import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRate } from '../../../src/services/fx/rates.js';
import { verifyLedger } from '../../../src/services/ledger/index.js';
import { memberWithCards } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';
import { balanceOf, codeOf, fund, pendingCharge } from './helpers.js';

for (const setup of SETUPS) {
  describe(`support refunds and reversals on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      // A fee on same-currency charges, so a reversal has revenue to give back.
      app = await testApp(setup, { CHARGE_SAME_CURRENCY_FEE_BPS: '200' });
      await setRate(app.db, { base: 'USD', quote: 'JPY', rate: '150', spreadBps: 100, feeBps: 100, setBy: 'test', at: app.clock.now() });
    });
    afterAll(async () => {
      await app?.close();
    });
    const support = () => app.services.money.support;
    const purchase = async (cardId: string, amount: bigint, id: string) => app.services.money.usage.record({ processorId: id, cardId, kind: 'purchase', amount, currency: 'JPY', merchant: 'Coffee' });

    it('refunds a purchase in parts, never more than was spent; an approval counts once; the cardholder is told', async () => {
      const m = await memberWithCards(app.db, { chatKey: `test:${Math.random()}` });
      const card = m.cardIds[0]!;
      await fund(app, card, 5000n);
      const u = await purchase(card, 1200n, `p1:${card}`);
      expect(await support().refundable(u.usageId)).toMatchObject({ amount: 1200n, refunded: 0n, left: 1200n, currency: 'JPY' });
      const req = { usageId: u.usageId, amount: 500n, reason: 'coffee was cold', requestId: `req1:${card}`, actor: 'slack:U1' };
      expect(await support().refundUsage(req)).toMatchObject({ amount: 500n, left: 700n, cardId: card, replayed: false });
      expect(await support().refundUsage(req)).toMatchObject({ amount: 500n, left: 700n, replayed: true });
      expect(await balanceOf(app, card)).toBe(5000n - 1200n + 500n);
      expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `support-refund:req1:${card}` } })).toBe(1);
      expect(await codeOf(support().refundUsage({ ...req, amount: 600n }))).toBe('SUPPORT.REQUEST_CONFLICT');
      expect(await codeOf(support().refundUsage({ ...req, requestId: `req2:${card}`, amount: 701n }))).toBe('SUPPORT.TOO_MUCH');
      expect(await codeOf(support().refundUsage({ ...req, requestId: `req3:${card}`, amount: 0n }))).toBe('SUPPORT.BAD_AMOUNT');
      expect(await support().refundUsage({ ...req, requestId: `req4:${card}`, amount: 700n })).toMatchObject({ left: 0n });
      expect(await support().refundable(u.usageId)).toMatchObject({ refunded: 1200n, left: 0n });
      expect(await codeOf(support().refundUsage({ ...req, requestId: `req5:${card}`, amount: 1n }))).toBe('SUPPORT.TOO_MUCH');
      const notices = await app.db.prisma.chatNotice.findMany({ where: { memberId: m.memberId, key: 'usage-refunded-support' }, orderBy: { createdAt: 'asc' } });
      expect(notices.map((n) => app.catalogue.render('en', { key: n.key, vars: n.vars as Record<string, string> }))).toEqual([
        `Card •••• ${m.last4s[0]}: our support team refunded 500 JPY for Coffee. Balance: 4,300 JPY.`,
        `Card •••• ${m.last4s[0]}: our support team refunded 700 JPY for Coffee. Balance: 5,000 JPY.`,
      ]);
      expect(await app.db.prisma.auditLog.count({ where: { action: 'usage.refund', target: u.usageId } })).toBe(2);
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('refuses to refund a declined usage or a refund; credits the replacement of a replaced card', async () => {
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      const declined = await purchase(card, 100n, `d1:${card}`);
      expect(declined.status).toBe('declined');
      const req = { amount: 100n, reason: 'x', actor: 'slack:U1' };
      expect(await codeOf(support().refundUsage({ ...req, usageId: declined.usageId, requestId: `rd:${card}` }))).toBe('SUPPORT.NOT_REFUNDABLE');
      const refund = await app.services.money.usage.record({ processorId: `rf:${card}`, cardId: card, kind: 'refund', amount: 100n, currency: 'JPY' });
      expect(await codeOf(support().refundUsage({ ...req, usageId: refund.usageId, requestId: `rr:${card}` }))).toBe('SUPPORT.NOT_REFUNDABLE');
      const spent = await purchase(card, 100n, `p2:${card}`);
      const fresh = (await app.services.cards.replace(card, 'test')).card.id;
      expect(await support().refundUsage({ ...req, usageId: spent.usageId, requestId: `rp:${card}` })).toMatchObject({ cardId: fresh });
      expect([await balanceOf(app, card), await balanceOf(app, fresh)]).toEqual([0n, 100n]);
      expect(await codeOf(support().refundUsage({ ...req, usageId: 'no-such-usage', requestId: `rn:${card}` }))).toBe('SUPPORT.NOT_FOUND');
    });

    it('reverses a whole same-currency charge: the card is debited, the whole payment (fee included) goes back, the cardholder is told by chat and e-mail', async () => {
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      const c = await pendingCharge(app, m, { text: '5000' });
      await app.services.money.charges.complete(c.chargeId, 'test');
      const row = await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } });
      expect(row.fee).toBeGreaterThan(0n);
      expect(await support().reversible(c.chargeId)).toMatchObject({ status: 'completed', charged: 5000n, reversed: 0n, left: 5000n, cardId: card, balance: 5000n });
      const req = { chargeId: c.chargeId, reason: 'charged by mistake', requestId: `rev1:${card}`, actor: 'slack:U2' };
      const r = await support().reverseCharge(req);
      expect(r).toMatchObject({ amount: 5000n, currency: 'JPY', returned: row.fromAmount, returnedCurrency: 'JPY', status: 'succeeded', replayed: false });
      expect(await support().reverseCharge(req)).toMatchObject({ payoutId: r.payoutId, replayed: true });
      expect(await balanceOf(app, card)).toBe(0n);
      expect(await support().reversible(c.chargeId)).toMatchObject({ reversed: 5000n, left: 0n });
      expect(await codeOf(support().reverseCharge({ ...req, requestId: `rev2:${card}` }))).toBe('SUPPORT.NOT_REVERSIBLE');
      expect(await app.db.prisma.payout.findUniqueOrThrow({ where: { id: r.payoutId } })).toMatchObject({ kind: 'reversal', status: 'succeeded', amount: row.fromAmount, cardAmount: 5000n });
      const notice = await app.db.prisma.chatNotice.findFirstOrThrow({ where: { chatKey: `test:${m.memberId}`, key: 'charge-reversed' } });
      expect(app.catalogue.render('en', { key: notice.key, vars: notice.vars as Record<string, string> })).toContain(`5,000 JPY was taken back from card •••• ${m.last4s[0]}`);
      const mail = await app.db.prisma.outbox.findFirstOrThrow({ where: { to: m.email, template: 'charge-reversed' } });
      expect(mail.subject).toBe('[Card Charge Reversal Notification]');
      expect(mail.text).toContain(`Reference: ${c.reference}`);
      expect(await app.db.prisma.auditLog.count({ where: { action: 'charge.reverse', target: c.chargeId } })).toBe(1);
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('reverses an FX charge in two parts: the first returns its share rounded down, the last exactly the rest', async () => {
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      const c = await pendingCharge(app, m, { from: 'USD', to: 'JPY', text: '10000' });
      await app.services.money.charges.complete(c.chargeId, 'test');
      const row = await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } });
      const first = await support().reverseCharge({ chargeId: c.chargeId, amount: 3000n, reason: 'part', requestId: `fx1:${card}`, actor: 'slack:U2' });
      expect(first).toMatchObject({ amount: 3000n, returned: (row.fromAmount * 3000n) / 10000n, returnedCurrency: 'USD' });
      expect(await codeOf(support().reverseCharge({ chargeId: c.chargeId, amount: 7001n, reason: 'too much', requestId: `fx2:${card}`, actor: 'slack:U2' }))).toBe('SUPPORT.TOO_MUCH');
      const rest = await support().reverseCharge({ chargeId: c.chargeId, reason: 'rest', requestId: `fx3:${card}`, actor: 'slack:U2' });
      expect(rest.amount).toBe(7000n);
      expect(first.returned + rest.returned).toBe(row.fromAmount);
      expect(await balanceOf(app, card)).toBe(0n);
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('refuses a reversal the card no longer covers, and one of a charge not completed; nothing moves', async () => {
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      const c = await pendingCharge(app, m, { text: '5000' });
      expect(await codeOf(support().reverseCharge({ chargeId: c.chargeId, reason: 'x', requestId: `np:${card}`, actor: 'slack:U2' }))).toBe('SUPPORT.NOT_REVERSIBLE');
      await app.services.money.charges.complete(c.chargeId, 'test');
      await purchase(card, 4000n, `spend:${card}`);
      expect(await support().reversible(c.chargeId)).toMatchObject({ left: 5000n, balance: 1000n });
      expect(await codeOf(support().reverseCharge({ chargeId: c.chargeId, reason: 'x', requestId: `nf:${card}`, actor: 'slack:U2' }))).toBe('SUPPORT.INSUFFICIENT_FUNDS');
      expect(await balanceOf(app, card)).toBe(1000n);
      expect(await app.db.prisma.payout.count({ where: { chargeId: c.chargeId } })).toBe(0);
      // What the card still holds can be reversed.
      expect(await support().reverseCharge({ chargeId: c.chargeId, amount: 1000n, reason: 'x', requestId: `nf2:${card}`, actor: 'slack:U2' })).toMatchObject({ amount: 1000n });
    });

    if (setup.db === 'postgres') {
      it('concurrent approvals move the ledger exactly once: 10 refunds of the whole purchase, 10 reversals of the whole charge, 10 of one request', async () => {
        const m = await memberWithCards(app.db);
        const card = m.cardIds[0]!;
        await fund(app, card, 2000n);
        const u = await purchase(card, 1000n, `cc:${card}`);
        const refunds = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf(support().refundUsage({ usageId: u.usageId, amount: 1000n, reason: 'x', requestId: `cr:${card}:${i}`, actor: 'slack:U1' }))));
        expect(refunds.filter((o) => o === 'ok')).toHaveLength(1);
        expect(refunds.filter((o) => o === 'SUPPORT.TOO_MUCH')).toHaveLength(9);
        const c = await pendingCharge(app, m, { text: '3000' });
        await app.services.money.charges.complete(c.chargeId, 'test');
        const reversals = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf(support().reverseCharge({ chargeId: c.chargeId, reason: 'x', requestId: `cv:${card}:${i}`, actor: 'slack:U2' }))));
        expect(reversals.filter((o) => o === 'ok')).toHaveLength(1);
        expect(reversals.filter((o) => o === 'SUPPORT.NOT_REVERSIBLE')).toHaveLength(9);
        const u2 = await purchase(card, 500n, `cc2:${card}`);
        const same = await Promise.all(Array.from({ length: 10 }, () => support().refundUsage({ usageId: u2.usageId, amount: 500n, reason: 'x', requestId: `one:${card}`, actor: 'slack:U1' })));
        expect(same.filter((r) => !r.replayed)).toHaveLength(1);
        expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `support-refund:one:${card}` } })).toBe(1);
        expect(await balanceOf(app, card)).toBe(2000n - 1000n + 1000n + 3000n - 3000n - 500n + 500n);
        expect((await verifyLedger(app.db)).violations).toEqual([]);
      });
    }
  });
}
