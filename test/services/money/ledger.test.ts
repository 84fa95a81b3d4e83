import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/infra/db/database.js';
import { LedgerError, cardAccount, operatorAccount, post, reverse, verifyLedger } from '../../../src/services/ledger/index.js';
import { memberWithCards } from '../../support/cards.js';
import { testDatabase, type DbKind } from '../../support/db.js';

const at = new Date('2026-11-20T03:00:00Z');

/** Funds a card from the funding clearing account (as a completed same-currency charge would). */
function fund(cardId: string, amount: bigint, key: string, cur = 'JPY') {
  return { idempotencyKey: key, kind: 'charge', at, postings: [{ account: cardAccount(cardId, cur), amount }, { account: operatorAccount('funding', cur), amount: -amount }] };
}
function spend(cardId: string, amount: bigint, key: string, cur = 'JPY') {
  return { idempotencyKey: key, kind: 'purchase', at, postings: [{ account: cardAccount(cardId, cur), amount: -amount }, { account: operatorAccount('settlement', cur), amount }] };
}
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof LedgerError) return err.code;
    throw err;
  }
}
async function balance(db: Database, cardId: string, cur = 'JPY'): Promise<bigint> {
  return (await db.prisma.ledgerAccount.findUnique({ where: { code: `card:${cardId}:${cur}` } }))?.balance ?? 0n;
}

for (const kind of ['pglite', 'postgres'] as DbKind[]) {
  describe(`ledger on ${kind}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await testDatabase(kind);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('posts balanced entries, updates cached balances, refuses unbalanced or empty ones', async () => {
      const m = await memberWithCards(db);
      const card = m.cardIds[0]!;
      await db.tx((tx) => post(tx, fund(card, 5000n, `f1:${card}`)));
      expect(await balance(db, card)).toBe(5000n);
      expect(await codeOf(db.tx((tx) => post(tx, { ...fund(card, 1n, `bad:${card}`), postings: [{ account: cardAccount(card, 'JPY'), amount: 1n }, { account: operatorAccount('funding', 'JPY'), amount: -2n }] })))).toBe('LEDGER.UNBALANCED');
      expect(await codeOf(db.tx((tx) => post(tx, { ...fund(card, 1n, `bad2:${card}`), postings: [{ account: cardAccount(card, 'JPY'), amount: 1n }, { account: operatorAccount('funding', 'USD'), amount: -1n }] })))).toBe('LEDGER.UNBALANCED');
      expect(await codeOf(db.tx((tx) => post(tx, { ...fund(card, 1n, `bad3:${card}`), postings: [] })))).toBe('LEDGER.EMPTY');
      expect(await balance(db, card)).toBe(5000n);
      expect((await verifyLedger(db)).violations).toEqual([]);
    });

    it('never lets a card go below zero and rolls back the whole entry', async () => {
      const m = await memberWithCards(db);
      const card = m.cardIds[0]!;
      await db.tx((tx) => post(tx, fund(card, 1000n, `f:${card}`)));
      expect(await codeOf(db.tx((tx) => post(tx, spend(card, 1001n, `s:${card}`))))).toBe('LEDGER.INSUFFICIENT_FUNDS');
      expect(await db.prisma.journalEntry.count({ where: { idempotencyKey: `s:${card}` } })).toBe(0);
      await db.tx((tx) => post(tx, spend(card, 1000n, `s2:${card}`)));
      expect(await balance(db, card)).toBe(0n);
    });

    it('returns the original for a repeated key (50×, concurrently) and refuses a key reused for other content', async () => {
      const m = await memberWithCards(db);
      const card = m.cardIds[0]!;
      const results = await Promise.all(Array.from({ length: 50 }, () => db.tx((tx) => post(tx, fund(card, 700n, `idem:${card}`)))));
      expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(await balance(db, card)).toBe(700n);
      expect(await codeOf(db.tx((tx) => post(tx, fund(card, 701n, `idem:${card}`))))).toBe('LEDGER.IDEMPOTENCY_CONFLICT');
    });

    it('reverses an entry exactly once, with a new entry', async () => {
      const m = await memberWithCards(db);
      const card = m.cardIds[0]!;
      const { entryId } = await db.tx((tx) => post(tx, fund(card, 300n, `r:${card}`)));
      const r1 = await db.tx((tx) => reverse(tx, entryId, { at }));
      const r2 = await db.tx((tx) => reverse(tx, entryId, { at }));
      expect(r2).toEqual({ entryId: r1.entryId, replayed: true });
      expect(await codeOf(db.tx((tx) => reverse(tx, entryId, { at, idempotencyKey: 'other' })))).toBe('LEDGER.ALREADY_REVERSED');
      expect(await balance(db, card)).toBe(0n);
      expect((await verifyLedger(db)).ok).toBe(true);
    });

    it('keeps every invariant over random charges, usages, refunds and reversals (property)', async () => {
      const m = await memberWithCards(db, { cards: 2 });
      const op = fc.oneof(
        fc.record({ t: fc.constant('charge' as const), card: fc.nat(1), cur: fc.constantFrom('JPY', 'USD'), amount: fc.bigInt({ min: 1n, max: 10_000n }) }),
        fc.record({ t: fc.constant('usage' as const), card: fc.nat(1), cur: fc.constantFrom('JPY', 'USD'), amount: fc.bigInt({ min: 1n, max: 10_000n }) }),
        fc.record({ t: fc.constant('refund' as const), card: fc.nat(1), cur: fc.constantFrom('JPY', 'USD'), amount: fc.bigInt({ min: 1n, max: 10_000n }) }),
        fc.record({ t: fc.constant('reverse' as const), pick: fc.nat(50) }),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
          run++;
          const model = new Map<string, bigint>();
          for (const card of m.cardIds) for (const cur of ['JPY', 'USD']) model.set(`${card}:${cur}`, await balance(db, card, cur));
          const posted: { entryId: string; card: string; cur: string; delta: bigint }[] = [];
          for (const [i, o] of ops.entries()) {
            const key = `p${run}:${i}:${m.memberId}`;
            if (o.t === 'reverse') {
              const target = posted[o.pick % Math.max(posted.length, 1)];
              if (!target) continue;
              const k = `${target.card}:${target.cur}`;
              const outcome = await codeOf(db.tx((tx) => reverse(tx, target.entryId, { at })));
              const fits = model.get(k)! - target.delta >= 0n;
              const again = posted.filter((p) => p === target).length > 1;
              if (outcome === 'ok' && !again) model.set(k, model.get(k)! - target.delta);
              expect(outcome === 'ok' || outcome === 'LEDGER.INSUFFICIENT_FUNDS' || outcome === 'LEDGER.ALREADY_REVERSED').toBe(true);
              if (outcome === 'LEDGER.INSUFFICIENT_FUNDS') expect(fits).toBe(false);
              if (outcome === 'ok') posted.push(target); // reversing twice replays, never doubles
              continue;
            }
            const card = m.cardIds[o.card]!;
            const k = `${card}:${o.cur}`;
            const delta = o.t === 'usage' ? -o.amount : o.amount;
            const entry = o.t === 'usage' ? spend(card, o.amount, key, o.cur) : o.t === 'refund'
              ? { idempotencyKey: key, kind: 'refund', at, postings: [{ account: cardAccount(card, o.cur), amount: o.amount }, { account: operatorAccount('settlement', o.cur), amount: -o.amount }] }
              : fund(card, o.amount, key, o.cur);
            const outcome = await codeOf(db.tx((tx) => post(tx, entry)).then((p) => posted.push({ entryId: p.entryId, card, cur: o.cur, delta })));
            if (model.get(k)! + delta >= 0n) {
              expect(outcome).toBe('ok');
              model.set(k, model.get(k)! + delta);
            } else expect(outcome).toBe('LEDGER.INSUFFICIENT_FUNDS');
          }
          for (const card of m.cardIds) for (const cur of ['JPY', 'USD']) expect(await balance(db, card, cur)).toBe(model.get(`${card}:${cur}`));
          const report = await verifyLedger(db);
          expect(report.violations).toEqual([]);
        }),
        { numRuns: kind === 'pglite' ? 15 : 25 },
      );
    });

    if (kind === 'postgres') {
      it('200 concurrent debits on one card whose balance covers half: exactly half succeed, never negative', async () => {
        const m = await memberWithCards(db);
        const card = m.cardIds[0]!;
        await db.tx((tx) => post(tx, fund(card, 100n * 100n, `cf:${card}`)));
        const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => codeOf(db.tx((tx) => post(tx, spend(card, 100n, `cs:${card}:${i}`))))));
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(100);
        expect(outcomes.filter((o) => o === 'LEDGER.INSUFFICIENT_FUNDS')).toHaveLength(100);
        expect(await balance(db, card)).toBe(0n);
        expect((await verifyLedger(db)).ok).toBe(true);
      });
    }

    if (kind === 'postgres') {
      it('entries over many accounts (one locking statement) under concurrency: no deadlock, exactly the covered ones post', async () => {
        const cards = (await memberWithCards(db, { cards: 3 })).cardIds;
        for (const c of cards) await db.tx((tx) => post(tx, fund(c, 1000n, `mf:${c}`)));
        // Each entry takes 100 from two of the three cards (in varying order) into two operator accounts.
        const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => {
          const [x, y] = [cards[i % 3]!, cards[(i + 1) % 3]!];
          return codeOf(db.tx((tx) => post(tx, {
            idempotencyKey: `multi:${cards[0]}:${i}`, kind: 'purchase', at,
            postings: [
              { account: cardAccount(x, 'JPY'), amount: -100n }, { account: cardAccount(y, 'JPY'), amount: -100n },
              { account: operatorAccount('settlement', 'JPY'), amount: 150n }, { account: operatorAccount('fee', 'JPY'), amount: 50n },
            ],
          })));
        }));
        // 3 cards × 1000 at 200 an entry: between 10 and 15 fit, depending on the order they ran in;
        // what was taken is exactly what the approved entries took, and no card went below zero.
        const ok = outcomes.filter((o) => o === 'ok').length;
        expect(ok).toBeGreaterThanOrEqual(10);
        expect(ok).toBeLessThanOrEqual(15);
        expect(outcomes.every((o) => o === 'ok' || o === 'LEDGER.INSUFFICIENT_FUNDS')).toBe(true);
        const left = await Promise.all(cards.map((c) => balance(db, c)));
        expect(left.every((b) => b >= 0n)).toBe(true);
        expect(left.reduce((x, y) => x + y, 0n)).toBe(3000n - 200n * BigInt(ok));
        expect((await verifyLedger(db)).violations).toEqual([]);
      });
    }

    it('verify names the offending ids when an invariant is broken (a database that lost its CHECK)', async () => {
      // The database refuses a negative card balance itself; verify is the second line of defence,
      // proven on a copy whose constraint was dropped (as a restore without constraints would be).
      const own = await testDatabase(kind);
      try {
        await own.raw.exec(`ALTER TABLE "LedgerAccount" DROP CONSTRAINT "LedgerAccount_card_balance_check"`);
        const m = await memberWithCards(own);
        const card = m.cardIds[0]!;
        await own.tx((tx) => post(tx, fund(card, 10n, `v:${card}`)));
        await own.raw.exec(`UPDATE "LedgerAccount" SET balance = -5 WHERE code = 'card:${card}:JPY'`);
        const report = await verifyLedger(own);
        expect(report.ok).toBe(false);
        const acc = await own.prisma.ledgerAccount.findUnique({ where: { code: `card:${card}:JPY` } });
        expect(report.violations.map((v) => v.rule).sort()).toEqual(['cached-balance-mismatch', 'negative-card-balance']);
        expect(report.violations.every((v) => v.ids.includes(acc!.id))).toBe(true);
      } finally {
        await own.close();
      }
    });
  });
}
