import type { Clock } from '../../lib/clock.js';
import type { Tx } from '../../infra/db/database.js';
import { cardAccount } from './accounts.js';
import { post } from './post.js';

/**
 * The cards service's replace hook: inside the replacement's transaction, moves every balance of the
 * old card to the new card in one entry (`transfer`, key `replace:<old>:<new>`).
 */
export function moveBalancesOnReplace(clock: Clock) {
  return async (tx: Tx, move: { oldCardId: string; newCardId: string; actor: string }): Promise<void> => {
    const accounts = await tx.ledgerAccount.findMany({ where: { kind: 'card', cardId: move.oldCardId, balance: { not: 0n } } });
    if (!accounts.length) return;
    await post(tx, {
      idempotencyKey: `replace:${move.oldCardId}:${move.newCardId}`,
      kind: 'transfer',
      memo: `replacement by ${move.actor}`.slice(0, 100),
      at: clock.now(),
      postings: accounts.flatMap((a) => [
        { account: cardAccount(move.oldCardId, a.currency), amount: -a.balance },
        { account: cardAccount(move.newCardId, a.currency), amount: a.balance },
      ]),
    });
  };
}
