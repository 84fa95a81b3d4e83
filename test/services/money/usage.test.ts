import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/infra/http/server.js';
import { paymentsWebhook } from '../../../src/webhooks/payments.js';
import { processorWebhook } from '../../../src/webhooks/processor.js';
import { runCli } from '../../../src/cli/program.js';
import '../../../src/cli/commands.js';
import { cardAccount, operatorAccount, post, verifyLedger } from '../../../src/services/ledger/index.js';
import { SIGNATURE_HEADER, sign } from '../../../src/services/payments/signature.js';
import { setRate } from '../../../src/services/fx/rates.js';
import { memberWithCards } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';

const SECRET = 'processor-secret-0123456789';
const PAY_SECRET = 'payment-secret-0123456789';

for (const setup of SETUPS) {
  describe(`card usage and payment webhooks on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let http: HttpServer;
    let base: string;

    beforeAll(async () => {
      app = await testApp(setup, { PROCESSOR_WEBHOOK_SECRET: SECRET, PAYMENT_WEBHOOK_SECRET: PAY_SECRET, SANDBOX_PAYMENTS: 'false' });
      http = new HttpServer(app.log);
      http.route('POST', '/processor/transactions', processorWebhook({ usage: app.services.money.usage, secret: SECRET, clock: app.clock }));
      http.route('POST', '/payments/webhook', paymentsWebhook({ charges: app.services.money.charges, payouts: app.services.money.support, log: app.log, secret: PAY_SECRET, clock: app.clock }));
      base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    });
    afterAll(async () => {
      await http?.close();
      await app?.close();
    });

    async function fund(cardId: string, amount: bigint, cur = 'JPY') {
      await app.db.tx((tx) => post(tx, { idempotencyKey: `fund:${cardId}:${cur}:${amount}`, kind: 'charge', at: app.clock.now(), postings: [{ account: cardAccount(cardId, cur), amount }, { account: operatorAccount('funding', cur), amount: -amount }] }));
    }
    const balance = (cardId: string, cur = 'JPY') => app.db.prisma.ledgerAccount.findUnique({ where: { code: `card:${cardId}:${cur}` } }).then((a) => a?.balance ?? 0n);
    const postJson = (path: string, body: unknown, secret: string | null) => {
      const raw = JSON.stringify(body);
      return fetch(base + path, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...(secret ? { [SIGNATURE_HEADER]: sign(secret, raw, app.clock.now()) } : {}) } });
    };
    async function cli(argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, app: async () => app });
      return { code, out: out.join('\n'), err: err.join('\n') };
    }

    it('approves against the balance in that currency only, declines otherwise, notifies each', async () => {
      const m = await memberWithCards(app.db, { chatKey: `test:${Math.random()}` });
      const card = m.cardIds[0]!;
      await fund(card, 5000n);
      const u = app.services.money.usage;
      expect(await u.record({ processorId: `a1:${card}`, cardId: card, kind: 'purchase', amount: 1200n, currency: 'JPY', merchant: 'Coffee' })).toMatchObject({ status: 'approved', reason: null });
      // No conversion: no USD on the card, so a USD purchase is declined even with yen available.
      expect(await u.record({ processorId: `a2:${card}`, cardId: card, kind: 'purchase', amount: 100n, currency: 'USD', merchant: 'Shop' })).toMatchObject({ status: 'declined', reason: 'insufficient-funds' });
      expect(await u.record({ processorId: `a3:${card}`, cardId: card, kind: 'atm', amount: 3801n, currency: 'JPY' })).toMatchObject({ status: 'declined', reason: 'insufficient-funds' });
      expect(await u.record({ processorId: `a4:${card}`, cardId: card, kind: 'atm', amount: 3800n, currency: 'JPY' })).toMatchObject({ status: 'approved' });
      expect(await balance(card)).toBe(0n);
      await app.db.prisma.card.update({ where: { id: card }, data: { frozenBy: 'cardholder' } });
      expect(await u.record({ processorId: `a5:${card}`, cardId: card, kind: 'refund', amount: 500n, currency: 'JPY', merchant: 'Coffee' })).toMatchObject({ status: 'approved' });
      expect(await u.record({ processorId: `a6:${card}`, cardId: card, kind: 'purchase', amount: 100n, currency: 'JPY' })).toMatchObject({ status: 'declined', reason: 'card-frozen' });
      await app.db.prisma.card.update({ where: { id: card }, data: { frozenBy: null, status: 'closed' } });
      expect(await u.record({ processorId: `a7:${card}`, cardId: card, kind: 'refund', amount: 100n, currency: 'JPY' })).toMatchObject({ status: 'declined', reason: 'card-closed' });
      expect(await balance(card)).toBe(500n);
      const notices = await app.db.prisma.chatNotice.findMany({ where: { memberId: m.memberId }, orderBy: { createdAt: 'asc' } });
      expect(notices.map((n) => n.key)).toEqual([
        'usage-approved-purchase', 'usage-declined-insufficient-funds', 'usage-declined-insufficient-funds', 'usage-approved-atm',
        'usage-approved-refund', 'usage-declined-card-frozen', 'usage-declined-card-closed',
      ]);
      expect(notices[0]!.vars).toMatchObject({ amount: '1,200 JPY', merchant: 'Coffee', balance: '3,800 JPY', last4: m.last4s[0] });
      expect(app.catalogue.render('en', { key: notices[0]!.key, vars: notices[0]!.vars as Record<string, string> })).toBe(`Card •••• ${m.last4s[0]}: purchase of 1,200 JPY at Coffee approved. Balance: 3,800 JPY.`);
    });

    it('sends no usage notices to a member who switched them off', async () => {
      const m = await memberWithCards(app.db, { notifyUsage: false });
      await fund(m.cardIds[0]!, 1000n);
      await app.services.money.usage.record({ processorId: `n1:${m.memberId}`, cardId: m.cardIds[0]!, kind: 'purchase', amount: 10n, currency: 'JPY' });
      expect(await app.db.prisma.chatNotice.count({ where: { memberId: m.memberId } })).toBe(0);
    });

    it('records the same processor transaction sent 50 times over HTTP once; refuses bad signatures', async () => {
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      await fund(card, 10000n, 'USD');
      const body = { id: `px:${card}`, cardId: card, kind: 'purchase', amount: '12.34', currency: 'USD', merchant: 'Books' };
      expect((await postJson('/processor/transactions', body, null)).status).toBe(401);
      expect((await postJson('/processor/transactions', body, 'wrong-secret-000000')).status).toBe(401);
      const answers = await Promise.all(Array.from({ length: 50 }, () => postJson('/processor/transactions', body, SECRET).then(async (r) => ({ status: r.status, json: await r.json() }))));
      expect(answers.every((a) => a.status === 200 && a.json.status === 'approved')).toBe(true);
      expect(answers.filter((a) => !a.json.replayed)).toHaveLength(1);
      expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `usage:px:${card}` } })).toBe(1);
      expect(await balance(card, 'USD')).toBe(10000n - 1234n);
      expect((await postJson('/processor/transactions', { ...body, amount: '12.35' }, SECRET)).status).toBe(409);
      expect((await postJson('/processor/transactions', { ...body, id: 'px2', amount: 12.34 }, SECRET)).status).toBe(400);
      expect((await postJson('/processor/transactions', { ...body, id: 'px3', amount: '1.001' }, SECRET)).status).toBe(400);
    });

    if (setup.db === 'postgres') {
      it('200 concurrent usages on one card whose balance covers half: exactly the covered ones approved', async () => {
        const m = await memberWithCards(app.db);
        const card = m.cardIds[0]!;
        await fund(card, 100n * 250n);
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => app.services.money.usage.record({ processorId: `c:${card}:${i}`, cardId: card, kind: 'purchase', amount: 250n, currency: 'JPY' })));
        expect(results.filter((r) => r.status === 'approved')).toHaveLength(100);
        expect(results.filter((r) => r.reason === 'insufficient-funds')).toHaveLength(100);
        expect(await balance(card)).toBe(0n);
        expect((await verifyLedger(app.db)).violations).toEqual([]);
      });
    }

    it('confirms a charge from the payment webhook once, even when delivered 50 times; fails another', async () => {
      await setRate(app.db, { base: 'USD', quote: 'JPY', rate: '150', spreadBps: 100, feeBps: 100, setBy: 'test', at: app.clock.now() });
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: card, from: 'USD', to: 'JPY', text: '10000', lang: 'en' });
      expect(q.ok).toBe(true);
      const c = await app.services.money.charges.confirm({ quoteId: (q as { quote: { quoteId: string } }).quote.quoteId, memberId: m.memberId, chatKey: 'test:w', lang: 'en' });
      expect((await app.db.prisma.charge.findUnique({ where: { id: c.chargeId } }))!.confirmAt).toBeNull();
      const body = { reference: c.reference, event: 'payment.succeeded' };
      expect((await postJson('/payments/webhook', body, 'not-the-secret-000')).status).toBe(401);
      const answers = await Promise.all(Array.from({ length: 50 }, () => postJson('/payments/webhook', body, PAY_SECRET).then((r) => r.json())));
      expect(answers.every((a) => a.status === 'completed')).toBe(true);
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
      expect(await balance(card)).toBe(10000n);
      expect(await app.db.prisma.journalEntry.count({ where: { memo: c.reference } })).toBe(1);
      expect((await postJson('/payments/webhook', { chargeId: c.chargeId, event: 'payment.failed' }, PAY_SECRET)).status).toBe(409);

      const q2 = await app.services.money.charges.quote({ memberId: m.memberId, cardId: card, from: 'USD', to: 'JPY', text: '20 USD', lang: 'en' });
      const c2 = await app.services.money.charges.confirm({ quoteId: (q2 as { quote: { quoteId: string } }).quote.quoteId, memberId: m.memberId, chatKey: 'test:w', lang: 'en' });
      const failed = await postJson('/payments/webhook', { chargeId: c2.chargeId, event: 'payment.failed', reason: 'card declined' }, PAY_SECRET);
      expect(await failed.json()).toMatchObject({ status: 'failed' });
      expect(await app.db.prisma.journalEntry.count({ where: { memo: c2.reference } })).toBe(0);
      expect(await app.db.prisma.chatNotice.count({ where: { chatKey: 'test:w', key: 'charge-failed' } })).toBe(1);
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('moves every balance of a replaced card to the new card in one entry', async () => {
      const m = await memberWithCards(app.db);
      const old = m.cardIds[0]!;
      await fund(old, 3000n);
      await fund(old, 1234n, 'USD');
      const issued = await app.services.cards.replace(old, 'test');
      const fresh = (await app.db.prisma.card.findUniqueOrThrow({ where: { id: old } })).replacedById!;
      expect(issued.replaced).toBe(old);
      expect([await balance(old), await balance(old, 'USD')]).toEqual([0n, 0n]);
      expect([await balance(fresh), await balance(fresh, 'USD')]).toEqual([3000n, 1234n]);
      expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `replace:${old}:${fresh}` } })).toBe(1);
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('CLI: rates set/list, usage by last 4, ledger verify (non-zero exit with ids when broken)', async () => {
      const m = await memberWithCards(app.db);
      const r1 = await cli(['rates', 'set', 'jpy', 'eur', '0.0061', '--spread-bps', '80', '--fee-bps', '150', '--by', 'ops']);
      expect(r1).toMatchObject({ code: 0 });
      expect(r1.out).toContain('rate set: 1 JPY = 0.0061 EUR (spread 80 bps, fee 150 bps) by ops');
      expect((await cli(['rates', 'set', 'JPY', 'EUR', '-1'])).code).toBe(1);
      const list = await cli(['rates', 'list', '--json']);
      expect(JSON.parse(list.out).find((r: { base: string; quote: string }) => r.base === 'JPY' && r.quote === 'EUR')).toMatchObject({ rate: '0.0061', setBy: 'ops', stale: false });
      await fund(m.cardIds[0]!, 2000n);
      const last4 = m.last4s[0]!;
      const ambiguous = (await app.db.prisma.card.count({ where: { last4 } })) > 1;
      const ref = ambiguous ? m.cardIds[0]! : last4;
      const u1 = await cli(['usage', 'purchase', '--card', ref, '--amount', '1500', '--currency', 'JPY', '--merchant', 'Store', '--id', `cli1:${m.memberId}`]);
      expect(u1.out).toContain(`approved: purchase 1500 JPY on card •••• ${last4}`);
      const u2 = await cli(['usage', 'atm', '--card', m.cardIds[0]!, '--amount', '501', '--currency', 'JPY', '--json']);
      expect(JSON.parse(u2.out)).toMatchObject({ status: 'declined', reason: 'insufficient-funds' });
      expect((await cli(['usage', 'purchase', '--card', m.cardIds[0]!, '--amount', '1.5', '--currency', 'JPY'])).err).toContain('MONEY.TOO_MANY_DECIMALS');
      expect((await cli(['ledger', 'verify'])).code).toBe(0);
      const acc = await app.db.prisma.ledgerAccount.findUniqueOrThrow({ where: { code: `card:${m.cardIds[0]}:JPY` } });
      await app.db.raw.exec(`UPDATE "LedgerAccount" SET balance = balance + 1 WHERE id = '${acc.id}'`);
      const broken = await cli(['ledger', 'verify']);
      expect(broken.code).toBe(1);
      expect(broken.err).toContain(acc.id);
      await app.db.raw.exec(`UPDATE "LedgerAccount" SET balance = balance - 1 WHERE id = '${acc.id}'`);
    });
  });
}
