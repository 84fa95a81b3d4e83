import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Services } from '../src/app/services.js';
import type { Database } from '../src/infra/db/database.js';
import { setRate } from '../src/services/fx/rates.js';

/** Runs `fn` over `items` with at most `n` at once. */
export async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

/** Members with one enrolled card each, made directly in SQL. */
async function makeCards(db: Database, n: number, tag: string): Promise<{ memberId: string; cardId: string }[]> {
  const out: { memberId: string; cardId: string }[] = [];
  for (let i = 0; i < n; i++) {
    const memberId = randomUUID();
    const cardId = randomUUID();
    const u = `bench_${tag}_${i}`;
    await db.prisma.member.create({ data: { id: memberId, username: u, usernameKey: u, email: `${u}@bench.test`, emailKey: `${u}@bench.test`, fullName: 'Bench', passwordHash: 'x', status: 'active' } });
    await db.prisma.card.create({ data: { id: cardId, memberId, issuedEmailKey: `${u}@bench.test`, last4: String(1000 + (i % 9000)), fingerprint: `${tag}-${i}`, expiryMonth: 1, expiryYear: 2031, currency: 'JPY', pinHash: 'x', status: 'enrolled' } });
    out.push({ memberId, cardId });
  }
  return out;
}

/** Pending JPY → USD charges, one per card (prepared, not timed). */
async function pendingCharges(services: Services, cards: { memberId: string; cardId: string }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const c of cards) {
    const q = await services.money.charges.quote({ memberId: c.memberId, cardId: c.cardId, from: 'JPY', to: 'USD', text: '50', lang: 'en' });
    if (!q.ok) throw new Error(`quote refused: ${q.code}`);
    const ch = await services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId: c.memberId, chatKey: 'bench:1', lang: 'en' });
    ids.push(ch.chargeId);
  }
  return ids;
}

/** The same writes as a charge completion, in hand-written SQL on one pg connection per transaction. */
async function rawComplete(client: pg.PoolClient, chargeId: string, cardAcc: string, accs: Record<string, string>): Promise<void> {
  await client.query('BEGIN');
  try {
    // The entry id goes in with the status: a completed charge must name its entry (a CHECK).
    const entryId = randomUUID();
    const won = await client.query(`UPDATE "Charge" SET status = 'completed', "completedAt" = now(), "entryId" = $2 WHERE id = $1 AND status = 'pending' RETURNING "quoteId", reference, "fromAmount", "toAmount", fee, "memberId"`, [chargeId, entryId]);
    const c = won.rows[0];
    await client.query(`INSERT INTO "JournalEntry" (id, "idempotencyKey", "contentHash", kind, memo, "createdAt") VALUES ($1, $2, 'x', 'charge', $3, now())`, [entryId, `raw:${c.quoteId}`, c.reference]);
    const from = BigInt(c.fromAmount);
    const fee = BigInt(c.fee);
    const to = BigInt(c.toAmount);
    const spread = 1n;
    const legs: [string, bigint, string][] = [
      [accs['funding:JPY']!, -from, 'JPY'], [accs['fee:JPY']!, fee, 'JPY'], [accs['fx:JPY']!, from - fee, 'JPY'],
      [accs['fx:USD']!, -(to + spread), 'USD'], [accs['fee:USD']!, spread, 'USD'], [cardAcc, to, 'USD'],
    ];
    const values = legs.map((_, i) => `($1, $${i * 3 + 2}, $${i * 3 + 3}::bigint, $${i * 3 + 4}, now())`).join(', ');
    await client.query(`INSERT INTO "Posting" ("entryId", "accountId", amount, currency, "createdAt") VALUES ${values}`, [entryId, ...legs.flatMap(([id, a, cur]) => [id, a.toString(), cur])]);
    await client.query(`INSERT INTO "ChatNotice" (id, "memberId", key, vars) VALUES ($1, $2, 'charge-completed', '{}')`, [randomUUID(), c.memberId]);
    await client.query(`INSERT INTO "Outbox" (id, "to", subject, text, template) VALUES ($1, 'bench@bench.test', 'x', 'x', 'charge-completed')`, [randomUUID()]);
    // Balances last (hot operator rows): lock in id order, then one conditional update.
    const sorted = [...legs].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    await client.query(`SELECT id FROM "LedgerAccount" WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, [sorted.map((l) => l[0])]);
    const vals = sorted.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2}::bigint)`).join(', ');
    const r = await client.query(`UPDATE "LedgerAccount" a SET balance = a.balance + v.d FROM (VALUES ${vals}) v(id, d) WHERE a.id = v.id AND (a.kind <> 'card' OR a.balance + v.d >= 0)`, sorted.flatMap(([id, a]) => [id, a.toString()]));
    if (r.rowCount !== sorted.length) throw new Error('insufficient');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** Result of the charge-completion benchmark. */
export interface ChargeBench {
  charges: number;
  concurrency: number;
  servicePostingsPerSec: number;
  rawPostingsPerSec: number;
  ratio: number;
}

/**
 * Charge completion through the real service (Prisma, ledger `post`, notice and e-mail) against a
 * raw-SQL baseline doing the same inserts and updates, on the same database in the same run.
 */
export async function benchCharges(db: Database, services: Services, pgPool: pg.Pool, n: number, concurrency: number): Promise<ChargeBench> {
  await setRate(db, { base: 'JPY', quote: 'USD', rate: '0.0066', spreadBps: 100, feeBps: 100, setBy: 'bench', at: new Date() });
  // Cards are charged again and again in real life: 5 charges per card, interleaved.
  const perCard = 5;
  const svcCards = await makeCards(db, Math.ceil(n / perCard), 'svc');
  const rawCards = await makeCards(db, Math.ceil(n / perCard), 'raw');
  const a = await pendingCharges(services, Array.from({ length: perCard }, () => svcCards).flat().slice(0, n));
  const b = await pendingCharges(services, Array.from({ length: perCard }, () => rawCards).flat().slice(0, n));
  // Warm both paths (and create the operator accounts) outside the timing.
  await services.money.charges.complete(a.shift()!, 'bench');
  const accs = Object.fromEntries((await db.prisma.ledgerAccount.findMany({ where: { kind: { not: 'card' } } })).map((x) => [x.code, x.id]));
  const cardAccOf = new Map<string, string>();
  const accOfCard = new Map<string, string>();
  for (const id of b) {
    const ch = await db.prisma.charge.findUniqueOrThrow({ where: { id } });
    if (!accOfCard.has(ch.cardId)) {
      const acc = await db.prisma.ledgerAccount.create({ data: { id: randomUUID(), code: `card:${ch.cardId}:USD`, kind: 'card', cardId: ch.cardId, currency: 'USD' } });
      accOfCard.set(ch.cardId, acc.id);
    }
    cardAccOf.set(id, accOfCard.get(ch.cardId)!);
  }
  // Alternate service and baseline batches, so changing load on a shared machine hits both alike.
  const rounds = 5;
  let svcSec = 0;
  let rawSec = 0;
  for (let r = 0; r < rounds; r++) {
    const part = <T>(xs: T[]) => xs.slice(Math.floor((r * xs.length) / rounds), Math.floor(((r + 1) * xs.length) / rounds));
    const t0 = performance.now();
    await pool(part(a), concurrency, (id) => services.money.charges.complete(id, 'bench'));
    svcSec += (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await pool(part(b), concurrency, async (id) => {
      const client = await pgPool.connect();
      try {
        await rawComplete(client, id, cardAccOf.get(id)!, accs);
      } finally {
        client.release();
      }
    });
    rawSec += (performance.now() - t1) / 1000;
  }
  const svc = (a.length * 6) / svcSec;
  const raw = (b.length * 6) / rawSec;
  return { charges: a.length, concurrency, servicePostingsPerSec: Math.round(svc), rawPostingsPerSec: Math.round(raw), ratio: Number((svc / raw).toFixed(2)) };
}
