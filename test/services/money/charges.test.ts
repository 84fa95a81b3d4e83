import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../../src/infra/db/database.js';
import { ChargeError } from '../../../src/services/charges/errors.js';
import { cardAccount, moveBalancesOnReplace, operatorAccount, post, verifyLedger } from '../../../src/services/ledger/index.js';
import { memberWithCards, type MemberFixture } from '../../support/cards.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';

for (const setup of SETUPS) {
  describe(`charges and replaced or closed cards on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    const balance = (cardId: string, cur = 'JPY') => app.db.prisma.ledgerAccount.findUnique({ where: { code: `card:${cardId}:${cur}` } }).then((a) => a?.balance ?? 0n);
    async function fund(cardId: string, amount: bigint) {
      await app.db.tx((tx) => post(tx, { idempotencyKey: `fund:${cardId}:${amount}`, kind: 'charge', at: app.clock.now(), postings: [{ account: cardAccount(cardId, 'JPY'), amount }, { account: operatorAccount('funding', 'JPY'), amount: -amount }] }));
    }
    async function pendingCharge(m: MemberFixture, text = '5000') {
      const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: 'JPY', to: 'JPY', text, lang: 'en' });
      if (!q.ok) throw new Error(`quote refused: ${q.code}`);
      return app.services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId: m.memberId, chatKey: `test:${m.memberId}`, lang: 'en' });
    }

    it('a charge confirmed before its card was replaced and paid after lands on the replacement', async () => {
      const m = await memberWithCards(app.db, { chatKey: `test:${Math.random()}` });
      const old = m.cardIds[0]!;
      await fund(old, 1000n);
      const c = await pendingCharge(m);
      const issued = await app.services.cards.replace(old, 'test');
      expect(await app.services.money.charges.complete(c.chargeId, 'test')).toEqual({ status: 'completed', replayed: false });
      expect(await balance(old)).toBe(0n);
      expect(await balance(issued.card.id)).toBe(6000n);
      const notice = await app.db.prisma.chatNotice.findFirstOrThrow({ where: { memberId: m.memberId, key: 'charge-completed' } });
      expect(notice.vars).toMatchObject({ last4: issued.card.last4 });
      expect((await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } })).creditedCardId).toBe(issued.card.id);
      expect((await verifyLedger(app.db)).violations).toEqual([]);
    });

    it('follows a chain of replacements to the newest card', async () => {
      const m = await memberWithCards(app.db);
      const first = m.cardIds[0]!;
      const c = await pendingCharge(m);
      const second = (await app.services.cards.replace(first, 'test')).card.id;
      const third = (await app.services.cards.replace(second, 'test')).card.id;
      await app.services.money.charges.complete(c.chargeId, 'test');
      expect([await balance(first), await balance(second), await balance(third)]).toEqual([0n, 0n, 5000n]);
    });

    it('a payment for a charge whose card was closed with no replacement is held for support, not credited', async () => {
      const m = await memberWithCards(app.db);
      const card = m.cardIds[0]!;
      const c = await pendingCharge(m);
      await app.db.prisma.card.update({ where: { id: card }, data: { status: 'closed', closedAt: app.clock.now() } });
      expect(await app.services.money.charges.complete(c.chargeId, 'test')).toEqual({ status: 'held', replayed: false, reason: 'card-closed' });
      expect(await app.services.money.charges.complete(c.chargeId, 'test')).toEqual({ status: 'held', replayed: true, reason: 'card-closed' });
      const row = await app.db.prisma.charge.findUniqueOrThrow({ where: { id: c.chargeId } });
      expect(row).toMatchObject({ status: 'held', heldReason: 'card-closed', entryId: null });
      expect(row.paidAt).toBeInstanceOf(Date);
      expect(await balance(card)).toBe(0n);
      expect(await app.db.prisma.alert.count({ where: { kind: 'payment-on-closed-card', cardId: card } })).toBe(1);
    });

    it('usage refunds for a replaced card are credited to its replacement', async () => {
      const m = await memberWithCards(app.db);
      const old = m.cardIds[0]!;
      const fresh = (await app.services.cards.replace(old, 'test')).card.id;
      const r = await app.services.money.usage.record({ processorId: `rf:${old}`, cardId: old, kind: 'refund', amount: 700n, currency: 'JPY', merchant: 'Shop' });
      expect(r).toMatchObject({ status: 'approved', reason: null });
      expect([await balance(old), await balance(fresh)]).toEqual([0n, 700n]);
      // Purchases on the closed card are still declined.
      expect(await app.services.money.usage.record({ processorId: `pf:${old}`, cardId: old, kind: 'purchase', amount: 1n, currency: 'JPY' })).toMatchObject({ status: 'declined', reason: 'card-closed' });
    });

    it("confirm() refuses another member's quote, also once that quote has become a charge", async () => {
      const alice = await memberWithCards(app.db);
      const bob = await memberWithCards(app.db);
      const q = await app.services.money.charges.quote({ memberId: alice.memberId, cardId: alice.cardIds[0]!, from: 'JPY', to: 'JPY', text: '2000', lang: 'en' });
      if (!q.ok) throw new Error('quote refused');
      const refusedFor = (memberId: string) => app.services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId, chatKey: 'test:bob', lang: 'en' }).then(() => 'returned a charge', (e: unknown) => (e instanceof ChargeError ? e.code : String(e)));
      expect(await refusedFor(bob.memberId)).toBe('CHARGE.QUOTE_NOT_FOUND');
      await app.services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId: alice.memberId, chatKey: 'test:alice', lang: 'en' });
      expect(await refusedFor(bob.memberId)).toBe('CHARGE.QUOTE_NOT_FOUND');
    });

    if (setup.db === 'postgres') {
      it('a completion racing a replacement: the balance moved is read under the lock, nothing stays on the closed card', async () => {
        const m = await memberWithCards(app.db);
        const old = m.cardIds[0]!;
        await fund(old, 1000n);
        const c = await pendingCharge(m);
        const move = moveBalancesOnReplace(app.clock);
        let completion: Promise<unknown> | undefined;
        let settled = false;
        // The replacement pauses right after it has read the old card's balances, until the racing
        // completion has either finished or is waiting for a lock the replacement holds.
        app.services.cards.onReplace(async (tx, mv) => {
          const pid = (await tx.$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
          let paused = false;
          const pauseOnce = async <T>(result: T): Promise<T> => {
            if (paused) return result;
            paused = true;
            completion = app.services.money.charges.complete(c.chargeId, 'race').finally(() => {
              settled = true;
            });
            for (;;) {
              if (settled) break;
              const [row] = await app.db.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
              if (row!.n > 0) break;
              await new Promise((r) => setTimeout(r, 10));
            }
            return result;
          };
          const watched = new Proxy(tx, {
            get(target, prop, receiver) {
              const v = Reflect.get(target, prop, receiver);
              if (prop === '$queryRawUnsafe') return async (...a: unknown[]) => pauseOnce(await (v as (...x: unknown[]) => Promise<unknown>).apply(target, a));
              if (prop === 'ledgerAccount') return new Proxy(v as object, { get: (t, p) => (p === 'findMany' ? async (...a: unknown[]) => pauseOnce(await (Reflect.get(t, p) as (...x: unknown[]) => Promise<unknown>).apply(t, a)) : Reflect.get(t, p)) });
              return v;
            },
          }) as Tx;
          await move(watched, mv);
        });
        try {
          const issued = await app.services.cards.replace(old, 'test');
          await completion;
          expect(await balance(old)).toBe(0n);
          expect(await balance(issued.card.id)).toBe(6000n);
          expect((await verifyLedger(app.db)).violations).toEqual([]);
        } finally {
          app.services.cards.onReplace(moveBalancesOnReplace(app.clock));
        }
      });
    }
  });
}
