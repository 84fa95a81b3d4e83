import { createHmac } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { Database, Tx } from '../../infra/db/database.js';

/**
 * What is counted: log-ins by username, a member's current password (AttemptLimit rows), and reset
 * mails by username (rate-limited in the state store under this key).
 */
export type AttemptScope = 'login' | 'current-password' | 'reset-mail';

/** A limit: how many failures in a row, and how long the lock after them lasts. */
export interface AttemptPolicy {
  max: number;
  lockMs: number;
}

/** The outcome of spending a try: allowed (the count now, this one included), or locked for minutes. */
export type AttemptSpent = { allowed: true; failures: number } | { allowed: false; minutes: number };

/** Failures older than this no longer count as "in a row". */
const STALE_MS = 24 * 3600_000;

const iso = (d: Date) => d.toISOString();

/**
 * Attempt counters in the database (table AttemptLimit), so limits survive restarts whichever state
 * store runs. Count first: {@link spend} takes a try in one statement before the guess is checked,
 * so concurrent guesses cannot outnumber the limit. Keys are HMACs of what is guarded: the table
 * never holds the usernames people type. Every call costs the same whether or not a member exists.
 */
export class AttemptLimits {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly appSecret: string,
  ) {}

  /** The row key of a guarded thing (a case-folded username, a member id). */
  key(scope: AttemptScope, subject: string): string {
    return createHmac('sha256', this.appSecret).update(`attempts:${scope}:${subject}`).digest('hex');
  }

  /**
   * Spends one try: inserts the row or adds one to it, unless a lock holds or the tries are used up
   * (an expired lock, or failures older than a day, start again from one). One upsert, so the row
   * lock orders concurrent calls.
   */
  async spend(key: string, policy: AttemptPolicy): Promise<AttemptSpent> {
    const now = this.clock.now();
    const rows = await this.db.prisma.$queryRawUnsafe<{ failures: number }[]>(
      `INSERT INTO "AttemptLimit" (key, failures, "lockedUntil", "updatedAt") VALUES ($1, 1, NULL, ($2::timestamptz AT TIME ZONE 'UTC'))
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN "AttemptLimit"."lockedUntil" IS NOT NULL OR "AttemptLimit"."updatedAt" <= ($3::timestamptz AT TIME ZONE 'UTC') THEN 1 ELSE "AttemptLimit".failures + 1 END,
         "lockedUntil" = NULL,
         "updatedAt" = EXCLUDED."updatedAt"
       WHERE ("AttemptLimit"."lockedUntil" IS NULL AND ("AttemptLimit".failures < $4 OR "AttemptLimit"."updatedAt" <= ($3::timestamptz AT TIME ZONE 'UTC')))
          OR "AttemptLimit"."lockedUntil" <= ($2::timestamptz AT TIME ZONE 'UTC')
       RETURNING failures`,
      key, iso(now), iso(new Date(now.getTime() - STALE_MS)), policy.max,
    );
    if (rows[0]) return { allowed: true, failures: Number(rows[0].failures) };
    const row = await this.db.prisma.attemptLimit.findUnique({ where: { key }, select: { lockedUntil: true } });
    // No lock yet: the last try is being checked by a concurrent call, which will set it.
    const until = row?.lockedUntil?.getTime() ?? now.getTime() + policy.lockMs;
    return { allowed: false, minutes: Math.max(1, Math.ceil((until - now.getTime()) / 60_000)) };
  }

  /** Failures in a row that still count now (0 under a lock, which starts the count again, and after a day). */
  async failures(key: string, tx?: Tx): Promise<number> {
    const now = this.clock.now();
    const row = await (tx ?? this.db.prisma).attemptLimit.findUnique({ where: { key }, select: { failures: true, lockedUntil: true, updatedAt: true } });
    if (!row || row.lockedUntil !== null || row.updatedAt.getTime() <= now.getTime() - STALE_MS) return 0;
    return row.failures;
  }

  /** A right guess: the failures are forgotten. */
  async clear(key: string, tx?: Tx): Promise<void> {
    await (tx ?? this.db.prisma).attemptLimit.deleteMany({ where: { key } });
  }

  /**
   * A wrong guess that used the last try: locks for `lockMs` (inside `tx`, with whatever the caller
   * records alongside), and forgets long-idle rows of anyone, so the table stays small.
   */
  async lock(tx: Tx, key: string, policy: AttemptPolicy): Promise<Date> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + policy.lockMs);
    await tx.attemptLimit.update({ where: { key }, data: { failures: 0, lockedUntil: until, updatedAt: now } });
    await tx.attemptLimit.deleteMany({ where: { updatedAt: { lt: new Date(now.getTime() - STALE_MS) }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] } });
    return until;
  }
}
