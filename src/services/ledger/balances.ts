import type { Database } from '../../infra/db/database.js';

/** A card's balance in one currency. */
export interface CardBalance {
  cardId: string;
  currency: string;
  balance: bigint;
}

/** The cached balances of some cards, every currency they hold (zero accounts included). */
export async function cardBalances(db: Database, cardIds: string[]): Promise<CardBalance[]> {
  if (cardIds.length === 0) return [];
  const rows = await db.prisma.ledgerAccount.findMany({ where: { kind: 'card', cardId: { in: cardIds } }, orderBy: [{ cardId: 'asc' }, { currency: 'asc' }] });
  return rows.map((r) => ({ cardId: r.cardId!, currency: r.currency, balance: r.balance }));
}
