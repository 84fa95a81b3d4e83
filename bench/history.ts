import { randomUUID } from 'node:crypto';
import type { Services } from '../src/app/services.js';
import type { Database } from '../src/infra/db/database.js';

/** Result of the history benchmark. */
export interface HistoryBench {
  totalPostings: number;
  cardPostings: number;
  loadSeconds: number;
  runs: number;
  /** Whole history page (cards, accounts, page rows, totals, rendering), ms. */
  pageP50: number;
  pageP99: number;
  /** The two SQL queries of a page (rows + totals), ms. */
  sqlP50: number;
  sqlP99: number;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
}

/**
 * Loads `total` postings with generate_series (one card account holds 100,000 of them, spread over
 * a year; the rest over 1,000 other accounts), then times one-month history pages of that card.
 */
export async function benchHistory(db: Database, services: Services, total: number, runs: number): Promise<HistoryBench> {
  const cardPostings = Math.min(100_000, total);
  const step = Math.max(1, Math.floor(total / cardPostings));
  const memberId = randomUUID();
  const cardId = randomUUID();
  await db.prisma.member.create({ data: { id: memberId, username: 'bench_hist', usernameKey: 'bench_hist', email: 'h@bench.test', emailKey: 'h@bench.test', fullName: 'Bench', passwordHash: 'x', status: 'active' } });
  await db.prisma.card.create({ data: { id: cardId, memberId, issuedEmailKey: 'h@bench.test', last4: '4242', fingerprint: 'hist', expiryMonth: 1, expiryYear: 2031, currency: 'JPY', pinHash: 'x', status: 'enrolled' } });
  const t0 = performance.now();
  await db.withConnection(async (raw) => {
    await raw.exec(`INSERT INTO "LedgerAccount" (id, code, kind, "cardId", currency) VALUES ('acc-target', 'card:${cardId}:JPY', 'card', '${cardId}', 'JPY')`);
    await raw.exec(`INSERT INTO "LedgerAccount" (id, code, kind, currency) SELECT 'acc-o-' || g, 'bench:' || g, 'settlement', 'JPY' FROM generate_series(0, 999) g`);
    // Bulk load without per-row index and foreign-key work, then index once.
    await raw.exec(`DROP INDEX IF EXISTS "Posting_accountId_createdAt_amount_currency_idx"; DROP INDEX IF EXISTS "Posting_entryId_idx"; DROP INDEX IF EXISTS "JournalEntry_idempotencyKey_key";`);
    await raw.exec(`SET session_replication_role = replica`);
    const entries = Math.ceil(total / 2);
    await raw.exec(`INSERT INTO "JournalEntry" (id, "idempotencyKey", "contentHash", kind, memo, "createdAt")
      SELECT 'e' || g, 'k' || g, 'x', CASE WHEN g % 3 = 0 THEN 'charge' ELSE 'purchase' END, 'Shop ' || (g % 97), TIMESTAMP '2026-01-01' + (g * (interval '365 days' / ${entries})) FROM generate_series(1, ${entries}) g`);
    await raw.exec(`INSERT INTO "Posting" ("entryId", "accountId", amount, currency, "createdAt")
      SELECT 'e' || ((g + 1) / 2), CASE WHEN g % ${step} = 0 AND g / ${step} <= ${cardPostings} THEN 'acc-target' ELSE 'acc-o-' || (g % 1000) END,
             CASE WHEN g % 2 = 0 THEN 100 + g % 5000 ELSE -(100 + g % 5000) END, 'JPY', TIMESTAMP '2026-01-01' + (g * (interval '365 days' / ${total}))
        FROM generate_series(1, ${total}) g`);
    await raw.exec(`SET session_replication_role = origin`);
    await raw.exec(`CREATE UNIQUE INDEX "JournalEntry_idempotencyKey_key" ON "JournalEntry"("idempotencyKey"); CREATE INDEX "Posting_entryId_idx" ON "Posting"("entryId"); CREATE INDEX "Posting_accountId_createdAt_amount_currency_idx" ON "Posting"("accountId", "createdAt", "amount", "currency");`);
    // VACUUM sets the visibility map, as autovacuum would on a live table, so index-only scans apply.
    await raw.exec(`VACUUM ANALYZE "Posting"`);
    await raw.exec(`ANALYZE "JournalEntry"; ANALYZE "LedgerAccount"`);
  });
  const loadSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  const months = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'];
  const window = (i: number) => {
    const m = months[i % months.length]!;
    return { from: `${m}/01/2026`, to: `${m}/28/2026` };
  };
  const page: number[] = [];
  const sql: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const w = window(i);
    const t = performance.now();
    const p = await services.money.history.page(memberId, w.from, w.to, i % 3, 'en');
    const ms = performance.now() - t;
    if (p.count === 0) throw new Error('history bench found no rows');
    const t2 = performance.now();
    await services.money.history.rows(memberId, w.from, w.to, { offset: 0, limit: 10 });
    const ms2 = performance.now() - t2;
    if (i >= 20) {
      page.push(ms);
      sql.push(ms2);
    }
  }
  return { totalPostings: total, cardPostings, loadSeconds, runs, pageP50: pct(page, 50), pageP99: pct(page, 99), sqlP50: pct(sql, 50), sqlP99: pct(sql, 99) };
}
