import type { App } from '../../src/app/app.js';
import type { IssuedCard } from '../../src/services/cards/service.js';

/** Issues a card to `email` and enrolls it for `memberId` through the cards service (fixtures). */
export async function enrolledCard(app: App, memberId: string, email: string, currency = 'JPY'): Promise<IssuedCard> {
  const issued = await app.services.cards.issue({ email, currency });
  const check = await app.services.cards.checkInitialPin(memberId, issued.pinMailer.last4, issued.pinMailer.initialPin);
  if (!check.ok) throw new Error(`fixture: initial PIN check failed (${check.reason})`);
  const done = await app.services.cards.enroll(memberId, check.cardId, check.proof);
  if (!done.ok) throw new Error(`fixture: enroll failed (${done.reason})`);
  return issued;
}
