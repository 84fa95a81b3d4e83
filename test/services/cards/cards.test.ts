import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLuhnValid } from '../../../src/domain/cards/luhn.js';
import { CardError } from '../../../src/services/cards/errors.js';
import { PIN_MAX_FAILURES } from '../../../src/services/cards/service.js';
import { pinProblem } from '../../../src/domain/cards/pin-rules.js';
import { cardAccount, cardBalances, moveBalancesOnReplace, operatorAccount, post, verifyLedger } from '../../../src/services/ledger/index.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';
import { createMember } from '../../support/members.js';
import { enrolledCard } from '../../support/enrolled-card.js';

const otherPin = (pin: string) => (pin === '5821' ? '5822' : '5821');

for (const setup of SETUPS) {
  describe(`cards service on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('issues a Luhn-valid number under CARD_BIN with a non-trivial PIN, keeping neither in clear', async () => {
      const issued = await app.services.cards.issue({ email: 'Someone@Example.test', currency: 'usd' });
      const { pan, expiry } = issued.embossing;
      expect(pan).toMatch(/^999901\d{10}$/);
      expect(isLuhnValid(pan)).toBe(true);
      expect(pinProblem(issued.pinMailer.initialPin)).toBeNull();
      expect(issued.pinMailer).toMatchObject({ last4: pan.slice(-4), to: 'Someone@Example.test', expiry });
      expect(expiry).toMatch(/^\d\d\/\d\d$/);
      const row = await app.db.prisma.card.findUniqueOrThrow({ where: { id: issued.card.id } });
      expect(row).toMatchObject({ issuedEmailKey: 'someone@example.test', last4: pan.slice(-4), currency: 'USD', status: 'issued', memberId: null, pinLocked: false });
      expect(JSON.stringify(row)).not.toContain(pan);
      expect(row.pinHash).not.toContain(issued.pinMailer.initialPin);
      expect((await app.services.cards.findByNumber(pan))?.id).toBe(issued.card.id);
      expect(await app.services.cards.findByNumber(pan.slice(0, -1) + ((Number(pan.at(-1)) + 1) % 10))).toBeNull();
    });

    it('refuses a bad e-mail or currency with a one-line reason', async () => {
      await expect(app.services.cards.issue({ email: 'not-an-email' })).rejects.toThrow(/not an e-mail address/);
      await expect(app.services.cards.issue({ email: 'a@b.test', currency: 'XYZW' })).rejects.toThrow(/ISO 4217/);
      await expect(app.services.cards.issue({ email: 'a@b.test', currency: 'ABC' })).rejects.toThrow(CardError);
    });

    // 1,000 on PostgreSQL (concurrent issues); 100 on PGlite, whose one connection makes it slow.
    const many = setup.db === 'postgres' ? 1000 : 100;
    it(`issues ${many} distinct Luhn-valid numbers`, async () => {
      const pans = new Set<string>();
      const batch = setup.db === 'postgres' ? 20 : 1;
      for (let i = 0; i < many; i += batch) {
        const got = await Promise.all(Array.from({ length: Math.min(batch, many - i) }, (_, j) => app.services.cards.issue({ email: `luhn${i + j}@example.test` })));
        for (const g of got) pans.add(g.embossing.pan);
      }
      expect(pans.size).toBe(many);
      for (const pan of pans) {
        expect(pan.startsWith('999901') && pan.length === 16 && isLuhnValid(pan)).toBe(true);
      }
    }, 120_000);

    it('locks the initial PIN after 3 wrong tries (one alert), support reset lets the right PIN in', async () => {
      const m = await createMember(app);
      const issued = await app.services.cards.issue({ email: m.email });
      const { last4, initialPin } = issued.pinMailer;
      for (let i = 1; i < PIN_MAX_FAILURES; i++) expect(await app.services.cards.checkInitialPin(m.id, last4, otherPin(initialPin))).toEqual({ ok: false, reason: 'no-match' });
      expect(await app.services.cards.checkInitialPin(m.id, last4, otherPin(initialPin))).toEqual({ ok: false, reason: 'locked' });
      expect(await app.services.cards.checkInitialPin(m.id, last4, initialPin)).toEqual({ ok: false, reason: 'locked' });
      expect(await app.db.prisma.alert.count({ where: { kind: 'pin-lock', cardId: issued.card.id } })).toBe(1);
      expect((await app.services.cards.getCard(issued.card.id))!.pinLocked).toBe(true);

      await app.services.cards.resetPinLock(issued.card.id, 'support:U1');
      expect(await app.db.prisma.auditLog.count({ where: { action: 'card.pin-unlock', target: issued.card.id } })).toBe(1);
      const ok = await app.services.cards.checkInitialPin(m.id, last4, initialPin);
      expect(ok.ok).toBe(true);
    });

    it('locks the current PIN after 3 wrong tries on an enrolled card', async () => {
      const m = await createMember(app);
      const issued = await enrolledCard(app, m.id, m.email);
      const wrong = otherPin(issued.pinMailer.initialPin);
      expect(await app.services.cards.verifyCurrentPin(m.id, issued.card.id, wrong)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
      expect(await app.services.cards.verifyCurrentPin(m.id, issued.card.id, wrong)).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 1 });
      expect(await app.services.cards.verifyCurrentPin(m.id, issued.card.id, wrong)).toEqual({ ok: false, reason: 'locked' });
      expect(await app.services.cards.verifyCurrentPin(m.id, issued.card.id, issued.pinMailer.initialPin)).toEqual({ ok: false, reason: 'locked' });
      // Someone else's card is simply not there.
      const other = await createMember(app);
      expect(await app.services.cards.verifyCurrentPin(other.id, issued.card.id, issued.pinMailer.initialPin)).toEqual({ ok: false, reason: 'no-card' });
    });

    it('only the member whose e-mail the card was issued to can enroll it, once', async () => {
      const owner = await createMember(app);
      const other = await createMember(app);
      const issued = await app.services.cards.issue({ email: owner.email.toUpperCase() });
      const { last4, initialPin } = issued.pinMailer;
      expect(await app.services.cards.checkInitialPin(other.id, last4, initialPin)).toEqual({ ok: false, reason: 'no-match' });
      const check = await app.services.cards.checkInitialPin(owner.id, last4, initialPin);
      if (!check.ok) throw new Error('expected the owner to pass');
      // A proof is bound to the member: the other member cannot use it.
      expect(await app.services.cards.enroll(other.id, check.cardId, check.proof)).toEqual({ ok: false, reason: 'no-match' });
      expect(await app.services.cards.enroll(owner.id, check.cardId, check.proof)).toEqual({ ok: true, last4 });
      expect(await app.services.cards.enroll(owner.id, check.cardId, check.proof)).toEqual({ ok: false, reason: 'no-match' });
      expect(await app.services.cards.checkInitialPin(owner.id, last4, initialPin)).toEqual({ ok: false, reason: 'no-match' });
    });

    it('a proof expires with the clock', async () => {
      const m = await createMember(app);
      const issued = await app.services.cards.issue({ email: m.email });
      const check = await app.services.cards.checkInitialPin(m.id, issued.pinMailer.last4, issued.pinMailer.initialPin);
      if (!check.ok) throw new Error('expected a match');
      app.clock.advance(16 * 60_000);
      expect(await app.services.cards.enroll(m.id, check.cardId, check.proof)).toEqual({ ok: false, reason: 'expired' });
    });

    it('reissue-pin gives a new PIN, invalidates the old one and clears the lock', async () => {
      const m = await createMember(app);
      const issued = await enrolledCard(app, m.id, m.email);
      const wrong = otherPin(issued.pinMailer.initialPin);
      for (let i = 0; i < PIN_MAX_FAILURES; i++) await app.services.cards.verifyCurrentPin(m.id, issued.card.id, wrong);
      expect((await app.services.cards.getCard(issued.card.id))!.pinLocked).toBe(true);
      const mailer = await app.services.cards.reissuePin(issued.card.id, 'cli');
      expect(mailer).toMatchObject({ cardId: issued.card.id, last4: issued.card.last4, to: m.email });
      expect(pinProblem(mailer.initialPin)).toBeNull();
      expect((await app.services.cards.getCard(issued.card.id))!.pinLocked).toBe(false);
      expect((await app.services.cards.verifyCurrentPin(m.id, issued.card.id, mailer.initialPin)).ok).toBe(true);
      if (mailer.initialPin !== issued.pinMailer.initialPin) {
        expect((await app.services.cards.verifyCurrentPin(m.id, issued.card.id, issued.pinMailer.initialPin)).ok).toBe(false);
      }
    });

    it('replace closes the card, issues a new one to the same person and calls the ledger hook in the same transaction', async () => {
      const m = await createMember(app);
      const old = await enrolledCard(app, m.id, m.email, 'USD');
      const moves: { oldCardId: string; newCardId: string }[] = [];
      app.services.cards.onReplace(async (tx, move) => {
        // Runs inside the replacement's transaction: the new card is visible, the old one closed.
        const [o, n] = await Promise.all([tx.card.findUniqueOrThrow({ where: { id: move.oldCardId } }), tx.card.findUniqueOrThrow({ where: { id: move.newCardId } })]);
        expect(o.status).toBe('closed');
        expect(n.status).toBe('issued');
        moves.push({ oldCardId: move.oldCardId, newCardId: move.newCardId });
      });
      try {
        const r = await app.services.cards.replace(old.card.id, 'cli');
        expect(moves).toEqual([{ oldCardId: old.card.id, newCardId: r.card.id }]);
        expect(r.replaced).toBe(old.card.id);
        expect(r.card).toMatchObject({ currency: 'USD', status: 'issued', issuedEmailKey: m.email.toLowerCase() });
        expect(r.embossing.pan).not.toBe(old.embossing.pan);
        expect(isLuhnValid(r.embossing.pan)).toBe(true);
        expect(r.embossing.name).toBe(m.fullName);
        expect(await app.services.cards.getCard(old.card.id)).toMatchObject({ status: 'closed', replacedById: r.card.id });
        await expect(app.services.cards.replace(old.card.id, 'cli')).rejects.toThrow(/closed/);
        await expect(app.services.cards.reissuePin(old.card.id, 'cli')).rejects.toThrow(/closed/);
        // The member enrolls the replacement with its own mailer.
        const check = await app.services.cards.checkInitialPin(m.id, r.pinMailer.last4, r.pinMailer.initialPin);
        expect(check.ok).toBe(true);

        // A failing hook rolls the whole replacement back.
        app.services.cards.onReplace(async () => {
          throw new Error('ledger unavailable');
        });
        const other = await enrolledCard(app, m.id, m.email);
        const before = await app.db.prisma.card.count();
        await expect(app.services.cards.replace(other.card.id, 'cli')).rejects.toThrow('ledger unavailable');
        expect(await app.db.prisma.card.count()).toBe(before);
        expect((await app.services.cards.getCard(other.card.id))!.status).toBe('enrolled');
      } finally {
        // Back to the hook the app wires (the ledger's).
        app.services.cards.onReplace(moveBalancesOnReplace(app.clock));
      }
    });

    it('replace with the ledger wired moves every balance of the old card to the new one in one entry', async () => {
      const m = await createMember(app);
      const old = await enrolledCard(app, m.id, m.email);
      await app.db.tx(async (tx) => {
        for (const [cur, amount] of [['JPY', 12_000n], ['USD', 2_550n]] as const) {
          await post(tx, {
            idempotencyKey: `test-fund:${old.card.id}:${cur}`,
            kind: 'charge',
            at: app.clock.now(),
            postings: [
              { account: operatorAccount('funding', cur), amount: -amount },
              { account: cardAccount(old.card.id, cur), amount },
            ],
          });
        }
      });
      const r = await app.services.cards.replace(old.card.id, 'cli');
      const balances = await cardBalances(app.db, [old.card.id, r.card.id]);
      const of = (id: string, cur: string) => balances.find((b) => b.cardId === id && b.currency === cur)?.balance;
      expect([of(old.card.id, 'JPY'), of(old.card.id, 'USD'), of(r.card.id, 'JPY'), of(r.card.id, 'USD')]).toEqual([0n, 0n, 12_000n, 2_550n]);
      expect(await app.db.prisma.journalEntry.count({ where: { idempotencyKey: `replace:${old.card.id}:${r.card.id}` } })).toBe(1);
      expect((await verifyLedger(app.db)).ok).toBe(true);
    });

    it('resolves --card by id or a unique last 4, listing the matches otherwise', async () => {
      let free = 7315;
      while ((await app.db.prisma.card.count({ where: { last4: String(free) } })) > 0) free++;
      const a = await app.services.cards.issue({ email: 'resolve@example.test' }, { pan: pan('40001', String(free)) });
      expect((await app.services.cards.resolveCard(a.card.id)).id).toBe(a.card.id);
      const b = await app.services.cards.issue({ email: 'resolve2@example.test' }, { pan: pan('40002', a.card.last4) });
      expect(b.card.last4).toBe(a.card.last4);
      await expect(app.services.cards.resolveCard(a.card.last4)).rejects.toThrow(new RegExp(`2 cards end in ${a.card.last4}; use the id: ${a.card.id} .*; ${b.card.id}`));
      await expect(app.services.cards.resolveCard('nope')).rejects.toThrow('no card with id nope');
      const c = await app.services.cards.issue({ email: 'resolve3@example.test' });
      const unique = (await app.db.prisma.card.count({ where: { last4: c.card.last4 } })) === 1;
      if (unique) expect((await app.services.cards.resolveCard(c.card.last4)).id).toBe(c.card.id);
    });

    it('freezing: the cardholder freezes and unfreezes their own card, not a support freeze, not others\' cards', async () => {
      const m = await createMember(app);
      const other = await createMember(app);
      const { card } = await enrolledCard(app, m.id, m.email);
      const me = { memberId: m.id, actor: `member:${m.id}` };
      expect((await app.services.cards.freeze(card.id, 'cardholder', me)).frozenBy).toBe('cardholder');
      expect((await app.services.cards.unfreeze(card.id, 'cardholder', me)).frozen).toBe(false);
      await expect(app.services.cards.freeze(card.id, 'cardholder', { memberId: other.id, actor: 'x' })).rejects.toThrow(CardError);
      await app.services.cards.freeze(card.id, 'cardholder', me);
      expect((await app.services.cards.freeze(card.id, 'support', { actor: 'support:U1' })).frozenBy).toBe('support');
      await expect(app.services.cards.unfreeze(card.id, 'cardholder', me)).rejects.toThrow('frozen by support');
      expect((await app.services.cards.freeze(card.id, 'cardholder', me)).frozenBy).toBe('support');
      expect((await app.services.cards.unfreeze(card.id, 'support', { actor: 'support:U1' })).frozen).toBe(false);
    });
  });
}

/** A Luhn-valid test number under the default BIN: 5 chosen digits, one adjusting digit, then `last4`. */
function pan(middle5: string, last4: string): string {
  for (let x = 0; x < 10; x++) {
    const candidate = `999901${middle5}${x}${last4}`;
    if (isLuhnValid(candidate)) return candidate;
  }
  throw new Error('no valid number');
}
