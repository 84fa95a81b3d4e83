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
import { SETUPS } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { raceRound } from './race-driver.js';

const CHARGES = 5;
const USAGES = 40;

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
      const r = await raceRound(app, { charges: CHARGES, usages: USAGES });
      expect(r.broken).toEqual([]);
      expect(r.completions).toBe(CHARGES * 3);
      expect(r.replayedCompletions).toBe(CHARGES * 2);
      console.log(`races (${setup.db}): ${CHARGES} charges × 3 completions, ${USAGES} usages (${r.approved} approved), 6 toggles; balance ${r.balance}`);
    }, 120_000);
  });
}
