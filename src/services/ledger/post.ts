import { createHash } from 'node:crypto';
import { newId } from '../../lib/ids.js';
import type { Tx } from '../../infra/db/database.js';
import { isCurrencyCode } from '../../domain/money/index.js';
import { ensureAccounts, type AccountRef, type AccountRow } from './accounts.js';
import { LedgerError } from './errors.js';

/** One leg: a signed amount (minor units) on an account. Positive raises a card's balance. */
export interface PostingInput {
  account: AccountRef;
  amount: bigint;
}

/** What to post: a balanced set of postings under an idempotency key. */
export interface EntryInput {
  idempotencyKey: string;
  /** charge | purchase | atm | refund | reversal | … */
  kind: string;
  memo?: string;
  reversesId?: string;
  postings: PostingInput[];
  /** When it happened (the app clock); postings carry it for history. */
  at: Date;
  /** The new entry's id, when the caller needs it before posting (default a new uuid). */
  id?: string;
}

/** The outcome: the entry's id, and whether it was posted before under the same key. */
export interface Posted {
  entryId: string;
  replayed: boolean;
  /** The accounts of a new entry (callers may cache them once the transaction commits). */
  accounts?: Map<string, AccountRow>;
}

/** A stable hash of what an entry means (not when it was posted), to compare idempotent retries. */
export function contentHash(e: Pick<EntryInput, 'kind' | 'memo' | 'reversesId' | 'postings'>): string {
  const legs = e.postings
    .map((p) => [p.account.code, p.account.currency, p.amount.toString()])
    .sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
  return createHash('sha256').update(JSON.stringify({ kind: e.kind, memo: e.memo ?? null, reversesId: e.reversesId ?? null, legs })).digest('hex');
}

/** Refuses entries that are empty, hold a zero leg, or do not balance in every currency. */
export function validateEntry(e: Pick<EntryInput, 'postings' | 'idempotencyKey'>): void {
  if (!e.idempotencyKey) throw new LedgerError('LEDGER.BAD_POSTING', 'an entry needs an idempotency key');
  if (e.postings.length < 2) throw new LedgerError('LEDGER.EMPTY', 'an entry needs at least two postings');
  const sums = new Map<string, bigint>();
  for (const p of e.postings) {
    if (typeof p.amount !== 'bigint' || p.amount === 0n) throw new LedgerError('LEDGER.BAD_POSTING', `zero or non-integer posting on ${p.account.code}`);
    if (!isCurrencyCode(p.account.currency)) throw new LedgerError('LEDGER.CURRENCY_MISMATCH', `unknown currency on ${p.account.code}`);
    sums.set(p.account.currency, (sums.get(p.account.currency) ?? 0n) + p.amount);
  }
  for (const [cur, sum] of sums) if (sum !== 0n) throw new LedgerError('LEDGER.UNBALANCED', `postings in ${cur} sum to ${sum}`);
}

/**
 * Posts a journal entry inside the caller's transaction. The same idempotency key with the same
 * content returns the original entry (`replayed`); with different content it is refused
 * (`LEDGER.IDEMPOTENCY_CONFLICT`). Cached balances change in this transaction by conditional
 * updates, so a card account can never go below zero even under concurrency: PostgreSQL re-checks
 * `balance + amount >= 0` on the latest row version after waiting for its lock
 * (`LEDGER.INSUFFICIENT_FUNDS`; the caller's transaction must then roll back).
 */
export async function post(tx: Tx, e: EntryInput, opts: { accounts?: Map<string, AccountRow> } = {}): Promise<Posted> {
  validateEntry(e);
  const hash = contentHash(e);
  // Callers that resolved the accounts already (to lock one first) pass them: fewer round trips
  // while a row lock is held.
  const given = opts.accounts;
  const accounts = given && e.postings.every((p) => given.has(p.account.code)) ? given : await ensureAccounts(tx, e.postings.map((p) => p.account));
  for (const p of e.postings) {
    const a = accounts.get(p.account.code)!;
    if (a.currency !== p.account.currency || a.kind !== p.account.kind) throw new LedgerError('LEDGER.CURRENCY_MISMATCH', `account ${a.code} is ${a.kind} in ${a.currency}`);
  }
  const entryId = e.id ?? newId();
  // Claims the key and writes the postings in one statement; a concurrent poster of the same key
  // waits on the unique index for us to commit or roll back, then sees our entry (no rows here).
  const legs = e.postings.map((p, i) => `($${i * 3 + 8}, $${i * 3 + 9}::bigint, $${i * 3 + 10})`).join(', ');
  const written = await tx.$queryRawUnsafe<{ entryId: string }[]>(
    `WITH e AS (
       INSERT INTO "JournalEntry" (id, "idempotencyKey", "contentHash", kind, memo, "reversesId", "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6, ($7::timestamptz AT TIME ZONE 'UTC'))
       ON CONFLICT ("idempotencyKey") DO NOTHING RETURNING id)
     INSERT INTO "Posting" ("entryId", "accountId", amount, currency, "createdAt")
     SELECT e.id, v.account, v.amount, v.currency, ($7::timestamptz AT TIME ZONE 'UTC') FROM e CROSS JOIN (VALUES ${legs}) AS v(account, amount, currency)
     RETURNING "entryId"`,
    entryId, e.idempotencyKey, hash, e.kind, e.memo ?? null, e.reversesId ?? null, e.at.toISOString(),
    ...e.postings.flatMap((p) => [accounts.get(p.account.code)!.id, p.amount.toString(), p.account.currency]),
  );
  if (written.length === 0) return replay((await findByKey(tx, e.idempotencyKey))!, hash, e.idempotencyKey);

  // Balances change last, so the row locks they take (operator accounts are hot) are held only
  // until the commit that follows.
  const perAccount = new Map<string, bigint>();
  for (const p of e.postings) {
    const id = accounts.get(p.account.code)!.id;
    perAccount.set(id, (perAccount.get(id) ?? 0n) + p.amount);
  }
  const deltas = [...perAccount].filter(([, d]) => d !== 0n).sort(([a], [b]) => (a < b ? -1 : 1));
  const codeOf = (id: string) => [...accounts.values()].find((a) => a.id === id)?.code ?? id;
  if (deltas.length <= 2) {
    // One conditional update per account, in a global order (account id): no deadlocks.
    for (const [id, delta] of deltas) {
      const n = await tx.$executeRawUnsafe(
        `UPDATE "LedgerAccount" SET balance = balance + $1::bigint WHERE id = $2 AND (kind <> 'card' OR balance + $1::bigint >= 0)`,
        delta.toString(), id,
      );
      if (n !== 1) throw new LedgerError('LEDGER.INSUFFICIENT_FUNDS', `insufficient balance on ${codeOf(id)}`, { account: codeOf(id) });
    }
  } else {
    // Many accounts: lock them all in id order with one statement, then update them with one more.
    // NO KEY UPDATE, like a plain UPDATE of a balance: it does not conflict with the key-share
    // locks other transactions' postings hold on these rows (FOR UPDATE would deadlock with them).
    // One statement: the `locked` CTE takes every row lock in id order before the update touches
    // any row (the update joins it, so it is scanned first), then the conditional update runs.
    const values = deltas.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2}::bigint)`).join(', ');
    const failed = await tx.$queryRawUnsafe<{ id: string }[]>(
      `WITH v(id, d) AS (VALUES ${values}),
            locked AS (SELECT a.id FROM "LedgerAccount" a WHERE a.id IN (SELECT id FROM v) ORDER BY a.id FOR NO KEY UPDATE),
            upd AS (UPDATE "LedgerAccount" a SET balance = a.balance + v.d FROM v, locked l
                     WHERE a.id = v.id AND l.id = a.id AND (a.kind <> 'card' OR a.balance + v.d >= 0) RETURNING a.id)
       SELECT v.id FROM v WHERE v.id NOT IN (SELECT id FROM upd)`,
      ...deltas.flatMap(([id, d]) => [id, d.toString()]),
    );
    if (failed.length) throw new LedgerError('LEDGER.INSUFFICIENT_FUNDS', `insufficient balance on ${codeOf(failed[0]!.id)}`, { account: codeOf(failed[0]!.id) });
  }
  return { entryId, replayed: false, accounts };
}

async function findByKey(tx: Tx, key: string) {
  return tx.journalEntry.findUnique({ where: { idempotencyKey: key }, select: { id: true, contentHash: true } });
}

function replay(existing: { id: string; contentHash: string }, hash: string, key: string): Posted {
  if (existing.contentHash !== hash) throw new LedgerError('LEDGER.IDEMPOTENCY_CONFLICT', `idempotency key ${key} was used for a different entry`, { entryId: existing.id });
  return { entryId: existing.id, replayed: true };
}

/**
 * Posts the exact opposite of an entry (corrections never change posted entries). Idempotent under
 * `reversal:<entryId>` unless another key is given. Race-free: concurrent reversals of one entry
 * queue on its row lock, so the later ones see the first; the unique `reversesId` backs this up.
 */
export async function reverse(tx: Tx, entryId: string, opts: { at: Date; memo?: string; idempotencyKey?: string }): Promise<Posted> {
  // NO KEY UPDATE: a lock only other reversals take (it does not touch the row, which is immutable).
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM "JournalEntry" WHERE id = $1 FOR NO KEY UPDATE`, entryId);
  if (!locked.length) throw new LedgerError('LEDGER.NOT_FOUND', `no entry ${entryId}`);
  const original = await tx.journalEntry.findUnique({ where: { id: entryId }, include: { postings: { include: { account: true } } } });
  if (!original) throw new LedgerError('LEDGER.NOT_FOUND', `no entry ${entryId}`);
  if (original.kind === 'reversal') throw new LedgerError('LEDGER.ALREADY_REVERSED', 'a reversal is not reversed; post a new entry instead');
  const key = opts.idempotencyKey ?? `reversal:${entryId}`;
  const other = await tx.journalEntry.findFirst({ where: { reversesId: entryId }, select: { idempotencyKey: true } });
  if (other && other.idempotencyKey !== key) throw new LedgerError('LEDGER.ALREADY_REVERSED', `entry ${entryId} was already reversed`);
  return postReversal(tx, entryId, {
    idempotencyKey: key,
    kind: 'reversal',
    reversesId: entryId,
    ...(opts.memo ? { memo: opts.memo } : {}),
    at: opts.at,
    postings: original.postings.map((p) => ({
      account: { code: p.account.code, kind: p.account.kind as AccountRef['kind'], currency: p.account.currency, ...(p.account.cardId ? { cardId: p.account.cardId } : {}) },
      amount: -p.amount,
    })),
  });
}

/** Posts a reversal; a reversal of the same entry that got in first (unique `reversesId`) is ALREADY_REVERSED. */
async function postReversal(tx: Tx, entryId: string, e: EntryInput): Promise<Posted> {
  try {
    return await post(tx, e);
  } catch (err) {
    if (String((err as Error).message).includes('JournalEntry_reversesId_key')) throw new LedgerError('LEDGER.ALREADY_REVERSED', `entry ${entryId} was already reversed`);
    throw err;
  }
}
