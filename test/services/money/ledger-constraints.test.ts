import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/infra/db/database.js';
import { newId } from '../../../src/lib/ids.js';
import { LedgerError, cardAccount, operatorAccount, post, reverse } from '../../../src/services/ledger/index.js';
import { memberWithCards } from '../../support/cards.js';
import { testDatabase, type DbKind } from '../../support/db.js';

const at = new Date('2026-11-20T03:00:00Z');

/**
 * Runs raw SQL as one transaction on one connection and returns the database's refusal (null when
 * it committed). Constraint triggers deferred to the commit fail the COMMIT itself.
 */
async function refusal(db: Database, sql: string): Promise<string | null> {
  return db.withConnection(async (raw) => {
    try {
      await raw.exec(`BEGIN;\n${sql};\nCOMMIT;`);
      return null;
    } catch (err) {
      await raw.exec('ROLLBACK').catch(() => undefined);
      return (err as Error).message;
    }
  });
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

for (const kind of ['pglite', 'postgres'] as DbKind[]) {
  describe(`ledger rules enforced by the ${kind} database itself`, () => {
    let db: Database;
    let cardId: string;
    let memberId: string;
    let entryId: string;
    let cardAcc: string;
    let fundingAcc: string;
    beforeAll(async () => {
      db = await testDatabase(kind);
      const m = await memberWithCards(db);
      cardId = m.cardIds[0]!;
      memberId = m.memberId;
      const posted = await db.tx((tx) => post(tx, {
        idempotencyKey: `seed:${cardId}`, kind: 'charge', at,
        postings: [{ account: cardAccount(cardId, 'JPY'), amount: 1000n }, { account: operatorAccount('funding', 'JPY'), amount: -1000n }],
      }));
      entryId = posted.entryId;
      const accounts = await db.prisma.ledgerAccount.findMany({ where: { code: { in: [`card:${cardId}:JPY`, 'funding:JPY'] } } });
      cardAcc = accounts.find((a) => a.kind === 'card')!.id;
      fundingAcc = accounts.find((a) => a.kind === 'funding')!.id;
    });
    afterAll(async () => {
      await db?.close();
    });

    it('refuses a negative card balance (CHECK), while an operator account may go negative', async () => {
      expect(await refusal(db, `UPDATE "LedgerAccount" SET balance = -1 WHERE id = '${cardAcc}'`)).toMatch(/LedgerAccount_card_balance_check/);
      expect((await db.prisma.ledgerAccount.findUniqueOrThrow({ where: { id: cardAcc } })).balance).toBe(1000n);
      expect((await db.prisma.ledgerAccount.findUniqueOrThrow({ where: { id: fundingAcc } })).balance).toBe(-1000n);
    });

    it('refuses at commit an entry whose postings do not sum to zero in each currency (deferred constraint trigger)', async () => {
      const e1 = newId();
      expect(await refusal(db, `INSERT INTO "JournalEntry" (id, "idempotencyKey", "contentHash", kind) VALUES ('${e1}', 'raw:${e1}', 'x', 'probe');
        INSERT INTO "Posting" ("entryId", "accountId", amount, currency) VALUES ('${e1}', '${fundingAcc}', 5, 'JPY')`)).toMatch(/does not balance/);
      // Zero in sum but across two currencies: still unbalanced per currency.
      const e2 = newId();
      expect(await refusal(db, `INSERT INTO "JournalEntry" (id, "idempotencyKey", "contentHash", kind) VALUES ('${e2}', 'raw:${e2}', 'x', 'probe');
        INSERT INTO "Posting" ("entryId", "accountId", amount, currency) VALUES ('${e2}', '${fundingAcc}', 5, 'JPY'), ('${e2}', '${fundingAcc}', -5, 'USD')`)).toMatch(/does not balance/);
      expect(await db.prisma.journalEntry.count({ where: { id: { in: [e1, e2] } } })).toBe(0);
      // Deferred to the commit: legs written by separate statements of one transaction are fine.
      const e3 = newId();
      expect(await refusal(db, `INSERT INTO "JournalEntry" (id, "idempotencyKey", "contentHash", kind) VALUES ('${e3}', 'raw:${e3}', 'x', 'probe');
        INSERT INTO "Posting" ("entryId", "accountId", amount, currency) VALUES ('${e3}', '${fundingAcc}', 5, 'JPY');
        INSERT INTO "Posting" ("entryId", "accountId", amount, currency) VALUES ('${e3}', '${fundingAcc}', -5, 'JPY')`)).toBeNull();
    });

    it('refuses to change or delete posted entries and postings', async () => {
      expect(await refusal(db, `UPDATE "Posting" SET amount = amount + 1 WHERE "entryId" = '${entryId}'`)).toMatch(/immutable/);
      expect(await refusal(db, `DELETE FROM "Posting" WHERE "entryId" = '${entryId}'`)).toMatch(/immutable/);
      expect(await refusal(db, `UPDATE "JournalEntry" SET memo = 'edited' WHERE id = '${entryId}'`)).toMatch(/immutable/);
      expect(await refusal(db, `DELETE FROM "JournalEntry" WHERE id = '${entryId}'`)).toMatch(/immutable/);
      expect(await refusal(db, `TRUNCATE "Posting", "JournalEntry" CASCADE`)).toMatch(/immutable/);
      const postings = await db.prisma.posting.findMany({ where: { entryId }, orderBy: { amount: 'asc' } });
      expect(postings.map((p) => p.amount)).toEqual([-1000n, 1000n]);
    });

    it('refuses a quote, a charge or a card usage that points at no member, card, quote or ledger entry (foreign keys)', async () => {
      const quote = (id: string, member: string, card: string) =>
        `INSERT INTO "Quote" (id, "memberId", "cardId", "fromCurrency", "fromAmount", "toCurrency", "toAmount", fee, rate, "expiresAt") VALUES ('${id}', '${member}', '${card}', 'JPY', 1000, 'JPY', 1000, 0, '1', now())`;
      const charge = (id: string, o: { member?: string; card?: string; quote: string; entry?: string }) =>
        `INSERT INTO "Charge" (id, reference, "quoteId", "memberId", "cardId", "fromCurrency", "fromAmount", "toCurrency", "toAmount", fee, "expiresAt", "entryId")
         VALUES ('${id}', 'CH-${id.slice(0, 8)}', '${o.quote}', '${o.member ?? memberId}', '${o.card ?? cardId}', 'JPY', 1000, 'JPY', 1000, 0, now(), ${o.entry ? `'${o.entry}'` : 'NULL'})`;
      const usage = (id: string, card: string, entry: string | null) =>
        `INSERT INTO "CardUsage" (id, "processorId", "cardId", kind, amount, currency, status, "entryId") VALUES ('${id}', 'p:${id}', '${card}', 'purchase', 1, 'JPY', 'approved', ${entry ? `'${entry}'` : 'NULL'})`;
      expect(await refusal(db, quote(newId(), 'no-such-member', cardId))).toMatch(/Quote_memberId_fkey/);
      expect(await refusal(db, quote(newId(), memberId, 'no-such-card'))).toMatch(/Quote_cardId_fkey/);
      const q = newId();
      expect(await refusal(db, quote(q, memberId, cardId))).toBeNull();
      expect(await refusal(db, charge(newId(), { quote: 'no-such-quote' }))).toMatch(/Charge_quoteId_fkey/);
      expect(await refusal(db, charge(newId(), { quote: q, member: 'no-such-member' }))).toMatch(/Charge_memberId_fkey/);
      expect(await refusal(db, charge(newId(), { quote: q, card: 'no-such-card' }))).toMatch(/Charge_cardId_fkey/);
      expect(await refusal(db, charge(newId(), { quote: q, entry: 'no-such-entry' }))).toMatch(/Charge_entryId_fkey/);
      expect(await refusal(db, usage(newId(), 'no-such-card', null))).toMatch(/CardUsage_cardId_fkey/);
      expect(await refusal(db, usage(newId(), cardId, 'no-such-entry'))).toMatch(/CardUsage_entryId_fkey/);
      expect(await refusal(db, usage(newId(), cardId, entryId))).toBeNull();
    });

    it('refuses a second entry reversing the same entry (unique reversesId)', async () => {
      const [a, b] = [newId(), newId()];
      const entry = (id: string) => `INSERT INTO "JournalEntry" (id, "idempotencyKey", "contentHash", kind, "reversesId") VALUES ('${id}', 'raw:${id}', 'x', 'reversal', '${entryId}')`;
      expect(await refusal(db, entry(a))).toBeNull();
      expect(await refusal(db, entry(b))).toMatch(/JournalEntry_reversesId_key/);
    });

    if (kind === 'postgres') {
      it('reverse() under 20 concurrent callers with different keys: exactly one reversal is posted', async () => {
        const m = await memberWithCards(db);
        const card = m.cardIds[0]!;
        await db.tx((tx) => post(tx, {
          idempotencyKey: `race-fund:${card}`, kind: 'charge', at,
          postings: [{ account: cardAccount(card, 'JPY'), amount: 500n }, { account: operatorAccount('funding', 'JPY'), amount: -500n }],
        }));
        // A purchase: its reversal credits the card, so no balance check stands in for the guard.
        const { entryId: target } = await db.tx((tx) => post(tx, {
          idempotencyKey: `race:${card}`, kind: 'purchase', at,
          postings: [{ account: cardAccount(card, 'JPY'), amount: -500n }, { account: operatorAccount('settlement', 'JPY'), amount: 500n }],
        }));
        const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => codeOf(db.tx((tx) => reverse(tx, target, { at, idempotencyKey: `race-rev:${card}:${i}` })))));
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'LEDGER.ALREADY_REVERSED')).toHaveLength(19);
        expect(await db.prisma.journalEntry.count({ where: { reversesId: target } })).toBe(1);
        expect((await db.prisma.ledgerAccount.findUniqueOrThrow({ where: { code: `card:${card}:JPY` } })).balance).toBe(500n);
      });
    }
  });
}
