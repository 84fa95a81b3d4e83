/**
 * Races (issue 14, item 4). Which race is proven where:
 *
 * - Concurrent usages on one card (the processor's authorizations racing): the balance never goes
 *   below zero and exactly the covered ones are approved — test/services/money/usage.test.ts
 *   ("200 concurrent usages on one card whose balance covers half") and the ledger underneath it,
 *   test/services/money/ledger.test.ts ("200 concurrent debits on one card…"), on PostgreSQL.
 * - The same card enrolled from two chats at once (one wins): test/services/cards/enroll-race.test.ts
 *   (two and ten concurrent enrollments; two chats pressing [ENROLL] at once), on PostgreSQL.
 * - Two agents approving one refund at once: test/channels/slack/desk/approvals.test.ts ("two
 *   support users approving at once move the ledger exactly once…") through Bolt's real App, and
 *   test/services/support-money/refunds-reversals.test.ts (10 concurrent approvals of one request).
 * - 20 concurrent wrong code guesses: test/services/members/codes.test.ts (only CODE_MAX_ATTEMPTS
 *   checked; a right code raced with wrong guesses is used at most once), and PIN guesses in
 *   test/services/cards/pin-race.test.ts (bursts of 20).
 * - Freeze racing charge completions and usages on one card: here, below, on PostgreSQL + Redis and
 *   PGlite + memory — every charge completed exactly once (replayed completions included), no usage
 *   approved beyond the money there was, the balance is exactly funds + charges − approvals and never
 *   negative, the card ends as the last freeze/unfreeze left it, and verifyLedger is clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAccount, operatorAccount, post, verifyLedger } from '../../src/services/ledger/index.js';
import { setRate } from '../../src/services/fx/rates.js';
import { memberWithCards } from '../support/cards.js';
import { SETUPS } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

const CHARGES = 5;
const USAGES = 40;
const USAGE = 1000n;
const FUNDS = 10_000n;

for (const setup of SETUPS.filter((s) => (s.db === 'postgres' && s.store === 'redis') || (s.db === 'pglite' && s.store === 'memory'))) {
  describe(`races on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup, { SANDBOX_PAYMENTS: 'false', PAYMENT_WEBHOOK_SECRET: 'races-payment-secret-0123456789' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it(`freeze/unfreeze racing ${CHARGES} charge completions (each completed 3 times at once) and ${USAGES} usages on one card: each charge credited once, balance = funds + charges − approved usages ≥ 0, the last toggle holds, ledger verify clean`, async () => {
      await setRate(app.db, { base: 'USD', quote: 'JPY', rate: '150', spreadBps: 100, feeBps: 100, setBy: 'test', at: app.clock.now() });
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      await app.db.tx((tx) => post(tx, { idempotencyKey: `fund:${card}`, kind: 'charge', at: app.clock.now(), postings: [{ account: cardAccount(card, 'JPY'), amount: FUNDS }, { account: operatorAccount('funding', 'JPY'), amount: -FUNDS }] }));
      const charges = [];
      for (let i = 0; i < CHARGES; i++) {
        const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: card, from: 'USD', to: 'JPY', text: `${2000 + i} JPY`, lang: 'en' });
        expect(q.ok, JSON.stringify(q)).toBe(true);
        charges.push(await app.services.money.charges.confirm({ quoteId: (q as { quote: { quoteId: string } }).quote.quoteId, memberId: m.memberId, chatKey: 'test:races', lang: 'en' }));
      }
      const who = { memberId: m.memberId, actor: 'test' };
      const toggles = (async () => {
        for (let i = 0; i < 6; i++) await (i % 2 === 0 ? app.services.cards.freeze(card, 'cardholder', who) : app.services.cards.unfreeze(card, 'cardholder', who));
      })();
      const [, completions, usages] = await Promise.all([
        toggles,
        Promise.all(charges.flatMap((c) => [1, 2, 3].map(() => app.services.money.charges.complete(c.chargeId, 'race')))),
        Promise.all(Array.from({ length: USAGES }, (_, i) => app.services.money.usage.record({ processorId: `race:${card}:${i}`, cardId: card, kind: 'purchase', amount: USAGE, currency: 'JPY' }))),
      ]);

      expect(completions.map((c) => c.status)).toEqual(Array(CHARGES * 3).fill('completed'));
      expect(completions.filter((c) => !c.replayed)).toHaveLength(CHARGES);
      let credited = 0n;
      for (const c of charges) {
        expect(await app.db.prisma.journalEntry.count({ where: { memo: c.reference } }), `entries of ${c.reference}`).toBe(1);
        credited += BigInt((await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } })).toAmount);
      }
      const approved = usages.filter((u) => u.status === 'approved').length;
      expect(usages.filter((u) => u.status !== 'approved').map((u) => u.reason).filter((r) => r !== 'insufficient-funds' && r !== 'card-frozen')).toEqual([]);
      expect(BigInt(approved) * USAGE).toBeLessThanOrEqual(FUNDS + credited);
      const balance = (await app.db.prisma.ledgerAccount.findUniqueOrThrow({ where: { code: `card:${card}:JPY` } })).balance;
      expect(balance).toBe(FUNDS + credited - BigInt(approved) * USAGE);
      expect(balance >= 0n).toBe(true);
      expect((await app.db.prisma.card.findUniqueOrThrow({ where: { id: card } })).frozenBy).toBeNull();
      expect((await verifyLedger(app.db)).violations).toEqual([]);
      console.log(`races (${setup.db}): ${CHARGES} charges × 3 completions, ${USAGES} usages (${approved} approved), 6 toggles; balance ${balance}`);
    }, 120_000);
  });
}
