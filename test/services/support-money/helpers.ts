import type { TestApp } from '../../support/app.js';
import type { MemberFixture } from '../../support/cards.js';
import { cardAccount, operatorAccount, post } from '../../../src/services/ledger/index.js';
import { SupportMoneyError } from '../../../src/services/support-money/index.js';

/** The card's cached balance in `cur`. */
export function balanceOf(app: TestApp, cardId: string, cur = 'JPY'): Promise<bigint> {
  return app.db.prisma.ledgerAccount.findUnique({ where: { code: `card:${cardId}:${cur}` } }).then((a) => a?.balance ?? 0n);
}

/** Puts money on a card as a completed charge would (fixtures). */
export async function fund(app: TestApp, cardId: string, amount: bigint, cur = 'JPY'): Promise<void> {
  await app.db.tx((tx) => post(tx, { idempotencyKey: `fund:${cardId}:${cur}:${amount}:${Math.random()}`, kind: 'charge', at: app.clock.now(), postings: [{ account: cardAccount(cardId, cur), amount }, { account: operatorAccount('funding', cur), amount: -amount }] }));
}

/** A pending charge of the member's first card, quoted and confirmed through the charge service. */
export async function pendingCharge(app: TestApp, m: MemberFixture, o: { from?: string; to?: string; text?: string } = {}) {
  const q = await app.services.money.charges.quote({ memberId: m.memberId, cardId: m.cardIds[0]!, from: o.from ?? 'JPY', to: o.to ?? 'JPY', text: o.text ?? '5000', lang: 'en' });
  if (!q.ok) throw new Error(`quote refused: ${q.code}`);
  return app.services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId: m.memberId, chatKey: `test:${m.memberId}`, lang: 'en' });
}

/** The code of a refused support operation ('ok' when it went through). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof SupportMoneyError) return err.code;
    throw err;
  }
}
