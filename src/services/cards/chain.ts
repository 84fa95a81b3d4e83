import type { Tx } from '../../infra/db/database.js';

/** A card row as money paths read it under its lock, with what a notice to its member needs. */
export interface LockedCard {
  id: string;
  status: string;
  frozenBy: string | null;
  last4: string;
  memberId: string | null;
  replacedById: string | null;
  notifyUsage: boolean | null;
  language: string | null;
}

/** The card asked for and the card its money goes to now (the newest of its replacements). */
export interface CardChain {
  head: LockedCard;
  current: LockedCard;
  /** Every card from head to current, oldest first. */
  ids: string[];
}

/** Replacements of one card, one after another, never run this deep; a longer chain is a loop. */
const MAX_CHAIN = 50;

/**
 * Locks a card row `FOR SHARE` and follows its replacements (closed with `replacedById`), locking
 * each in turn, to the card money for it belongs to now. Inside the caller's transaction.
 *
 * Why SHARE: money paths (charge completion, usage, refunds, reversals) need the card not to be
 * closed or replaced under them, not to exclude each other; a replacement's lock (`FOR NO KEY
 * UPDATE`, then the closing UPDATE) waits for them and they for it. Locks are taken oldest card
 * first, the direction every chain runs, and a replacement only ever locks the newest card of its
 * chain, so no two transactions wait on each other's cards in opposite orders (no deadlock).
 * Null when the card does not exist.
 */
export async function lockCardChain(tx: Tx, start: { cardId: string } | { cardOfCharge: string }): Promise<CardChain | null> {
  const head = await lockOne(tx, 'cardId' in start ? '$1' : `(SELECT "cardId" FROM "Charge" WHERE id = $1)`, 'cardId' in start ? start.cardId : start.cardOfCharge);
  if (!head) return null;
  const ids = [head.id];
  let current = head;
  while (current.status === 'closed' && current.replacedById) {
    if (ids.length >= MAX_CHAIN || ids.includes(current.replacedById)) throw new Error(`card ${head.id}: replacement chain loops or is too long`);
    const next = await lockOne(tx, '$1', current.replacedById);
    if (!next) break;
    ids.push(next.id);
    current = next;
  }
  return { head, current, ids };
}

async function lockOne(tx: Tx, idExpr: string, param: string): Promise<LockedCard | null> {
  const [row] = await tx.$queryRawUnsafe<LockedCard[]>(
    `SELECT c.id, c.status, c."frozenBy", c.last4, c."memberId", c."replacedById", m."notifyUsage", m.language
       FROM "Card" c LEFT JOIN "Member" m ON m.id = c."memberId" WHERE c.id = ${idExpr} FOR SHARE OF c`,
    param,
  );
  return row ?? null;
}
