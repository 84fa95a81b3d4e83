import type { Database } from '../../infra/db/database.js';

/** One broken invariant and the ids it concerns. */
export interface Violation {
  rule: 'entry-unbalanced' | 'entry-too-few-postings' | 'cached-balance-mismatch' | 'negative-card-balance' | 'posting-currency-mismatch';
  ids: string[];
  detail: string;
}

/** The verification report. */
export interface VerifyReport {
  ok: boolean;
  entries: number;
  accounts: number;
  postings: number;
  violations: Violation[];
}

/**
 * Checks every ledger invariant with SQL over the whole ledger: each entry balances per currency
 * and has at least two postings, each cached balance equals the sum of its postings, each posting's
 * currency is its account's, and no card balance is negative.
 */
export async function verifyLedger(db: Database): Promise<VerifyReport> {
  const q = db.raw.query.bind(db.raw);
  const violations: Violation[] = [];
  const unbalanced = await q<{ entryId: string; currency: string; sum: string }>(
    `SELECT "entryId", currency, SUM(amount)::text AS sum FROM "Posting" GROUP BY "entryId", currency HAVING SUM(amount) <> 0 ORDER BY 1 LIMIT 1000`,
  );
  for (const u of unbalanced) violations.push({ rule: 'entry-unbalanced', ids: [u.entryId], detail: `${u.currency} sums to ${u.sum}` });
  const thin = await q<{ id: string; n: string }>(
    `SELECT e.id, COUNT(p.id)::text AS n FROM "JournalEntry" e LEFT JOIN "Posting" p ON p."entryId" = e.id GROUP BY e.id HAVING COUNT(p.id) < 2 ORDER BY 1 LIMIT 1000`,
  );
  for (const t of thin) violations.push({ rule: 'entry-too-few-postings', ids: [t.id], detail: `${t.n} postings` });
  const mismatched = await q<{ id: string; code: string; balance: string; sum: string }>(
    `SELECT a.id, a.code, a.balance::text AS balance, COALESCE(s.sum, 0)::text AS sum
       FROM "LedgerAccount" a LEFT JOIN (SELECT "accountId", SUM(amount) AS sum FROM "Posting" GROUP BY "accountId") s ON s."accountId" = a.id
      WHERE a.balance <> COALESCE(s.sum, 0) ORDER BY 1 LIMIT 1000`,
  );
  for (const m of mismatched) violations.push({ rule: 'cached-balance-mismatch', ids: [m.id], detail: `${m.code}: cached ${m.balance}, postings ${m.sum}` });
  const currencies = await q<{ id: string }>(
    `SELECT p.id::text AS id FROM "Posting" p JOIN "LedgerAccount" a ON a.id = p."accountId" WHERE p.currency <> a.currency ORDER BY 1 LIMIT 1000`,
  );
  for (const c of currencies) violations.push({ rule: 'posting-currency-mismatch', ids: [c.id], detail: 'posting currency differs from its account' });
  const negative = await q<{ id: string; code: string; balance: string }>(
    `SELECT id, code, balance::text AS balance FROM "LedgerAccount" WHERE kind = 'card' AND balance < 0 ORDER BY 1 LIMIT 1000`,
  );
  for (const n of negative) violations.push({ rule: 'negative-card-balance', ids: [n.id], detail: `${n.code}: ${n.balance}` });
  const [counts] = await q<{ entries: string; accounts: string; postings: string }>(
    `SELECT (SELECT COUNT(*) FROM "JournalEntry")::text AS entries, (SELECT COUNT(*) FROM "LedgerAccount")::text AS accounts, (SELECT COUNT(*) FROM "Posting")::text AS postings`,
  );
  return { ok: violations.length === 0, entries: Number(counts!.entries), accounts: Number(counts!.accounts), postings: Number(counts!.postings), violations };
}
