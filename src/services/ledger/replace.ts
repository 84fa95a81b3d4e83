import type { Clock } from '../../lib/clock.js';
import type { Tx } from '../../infra/db/database.js';
import { cardAccount } from './accounts.js';
import { post } from './post.js';

/**
 * The cards service's replace hook: inside the replacement's transaction, moves every balance of the
 * old card to the new card in one entry (`transfer`, key `replace:<old>:<new>`). The balances are
 * read under their row locks (the replacement already holds the card's), so nothing posted to the
 * old card meanwhile can stay behind on it.
 */
export function moveBalancesOnReplace(clock: Clock) {
  return async (tx: Tx, move: { oldCardId: string; newCardId: string; actor: string }): Promise<void> => {
    const accounts = await tx.$queryRawUnsafe<{ currency: string; balance: string }[]>(
      `SELECT currency, balance::text AS balance FROM "LedgerAccount" WHERE kind = 'card' AND "cardId" = $1 ORDER BY id FOR NO KEY UPDATE`,
      move.oldCardId,
    );
    const held = accounts.map((a) => ({ currency: a.currency, balance: BigInt(a.balance) })).filter((a) => a.balance !== 0n);
    if (!held.length) return;
    await post(tx, {
      idempotencyKey: `replace:${move.oldCardId}:${move.newCardId}`,
      kind: 'transfer',
      memo: `replacement by ${move.actor}`.slice(0, 100),
      at: clock.now(),
      postings: held.flatMap((a) => [
        { account: cardAccount(move.oldCardId, a.currency), amount: -a.balance },
        { account: cardAccount(move.newCardId, a.currency), amount: a.balance },
      ]),
    });
  };
}
