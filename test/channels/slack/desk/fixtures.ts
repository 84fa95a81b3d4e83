import { memberWithCards, type MemberFixture } from '../../../support/cards.js';
import type { TestApp } from '../../../support/app.js';
import { fund, pendingCharge } from '../../../services/support-money/helpers.js';

/** A cardholder for the desk's tests, and the ids of what happened on their card. */
export interface Holder extends MemberFixture {
  /** Approved purchases (usage ids), in order. */
  purchases: string[];
  /** Completed charges (charge ids), in order. */
  charges: string[];
}

/**
 * An active member with one enrolled JPY card, linked to a chat (so notices have somewhere to go):
 * `charge` completed charges of that many yen (through the charge service), then `purchases`.
 */
export async function holder(app: TestApp, o: { charges?: bigint[]; purchases?: bigint[]; funds?: bigint; cards?: number } = {}): Promise<Holder> {
  const m = await memberWithCards(app.db, { chatKey: `test:${Math.random().toString(36).slice(2)}`, cards: o.cards ?? 1 });
  const card = m.cardIds[0]!;
  if (o.funds) await fund(app, card, o.funds);
  const charges: string[] = [];
  for (const amount of o.charges ?? []) {
    const c = await pendingCharge(app, m, { text: amount.toString() });
    await app.services.money.charges.complete(c.chargeId, 'test');
    charges.push(c.chargeId);
  }
  const purchases: string[] = [];
  for (const [i, amount] of (o.purchases ?? []).entries()) {
    const u = await app.services.money.usage.record({ processorId: `p${i}:${card}`, cardId: card, kind: 'purchase', amount, currency: 'JPY', merchant: `Shop ${i + 1}` });
    if (u.status !== 'approved') throw new Error(`fixture purchase declined: ${u.reason}`);
    purchases.push(u.usageId);
  }
  return { ...m, purchases, charges };
}

/** Locks the member out of logging in with LOGIN_MAX_FAILURES wrong passwords; the lock's end. */
export async function lockLogin(app: TestApp, memberId: string): Promise<Date> {
  const { username } = await app.db.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
  for (let i = 0; i < app.config.LOGIN_MAX_FAILURES; i++) await app.services.members.sessions.checkLogin(username, `Wrong-Password-${i}`);
  const { lockedUntil } = await app.db.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
  if (!lockedUntil) throw new Error('fixture: the wrong passwords did not lock the log-in');
  return lockedUntil;
}

/** Locks a card's PIN (as three wrong PINs would). */
export async function lockPin(app: TestApp, cardId: string): Promise<void> {
  await app.db.prisma.card.update({ where: { id: cardId }, data: { pinLocked: true, pinFailures: 3 } });
}

/** The card's cached balance in yen. */
export async function balance(app: TestApp, cardId: string): Promise<bigint> {
  return (await app.db.prisma.ledgerAccount.findUnique({ where: { code: `card:${cardId}:JPY` } }))?.balance ?? 0n;
}

/** The audit rows written for Slack users, oldest first. */
export function deskAudit(app: TestApp, where: Record<string, unknown> = {}) {
  return app.db.prisma.auditLog.findMany({ where: { actor: { startsWith: 'slack:' }, ...where }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}
