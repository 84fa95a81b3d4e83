import { newId } from '../../lib/ids.js';
import type { Tx } from '../../infra/db/database.js';
import { currency } from '../../domain/money/index.js';

/** Kinds of ledger accounts: a card's balance in one currency, and the operator's own accounts. */
export type AccountKind = 'card' | 'funding' | 'fx' | 'fee' | 'settlement';

/** Names an account; it is created on first use. */
export interface AccountRef {
  code: string;
  kind: AccountKind;
  currency: string;
  cardId?: string;
}

/** A card's account in one currency (what the operator owes the cardholder). */
export function cardAccount(cardId: string, cur: string): AccountRef {
  return { code: `card:${cardId}:${cur}`, kind: 'card', currency: currency(cur).code, cardId };
}

/**
 * An operator account in one currency: `funding` (money received from the payment provider,
 * clearing), `fx` (liquidity each FX leg goes through), `fee` (revenue: fees and FX spread),
 * `settlement` (owed to / by the card network for usage).
 */
export function operatorAccount(kind: Exclude<AccountKind, 'card'>, cur: string): AccountRef {
  return { code: `${kind}:${currency(cur).code}`, kind, currency: currency(cur).code };
}

/** A stored account. */
export interface AccountRow {
  id: string;
  code: string;
  kind: string;
  currency: string;
}

/** Creates missing accounts (race-free) and returns every one by code. */
export async function ensureAccounts(tx: Tx, refs: AccountRef[]): Promise<Map<string, AccountRow>> {
  // Sorted, so concurrent first-time creations of the same accounts wait in one order (no deadlock).
  const unique = [...new Map(refs.map((r) => [r.code, r])).values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  const placeholders = unique.map((_, i) => `$${i + 1}`).join(', ');
  const find = () => tx.$queryRawUnsafe<AccountRow[]>(`SELECT id, code, kind, currency FROM "LedgerAccount" WHERE code IN (${placeholders})`, ...unique.map((r) => r.code));
  let rows = await find();
  if (rows.length < unique.length) {
    const have = new Set(rows.map((r) => r.code));
    for (const r of unique.filter((u) => !have.has(u.code))) {
      await tx.$executeRawUnsafe(
        `INSERT INTO "LedgerAccount" (id, code, kind, "cardId", currency) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING`,
        newId(), r.code, r.kind, r.cardId ?? null, r.currency,
      );
    }
    rows = await find();
  }
  return new Map(rows.map((r) => [r.code, r]));
}
