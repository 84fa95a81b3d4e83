import { randomBytes } from 'node:crypto';
import { newId } from '../../src/lib/ids.js';
import type { Database } from '../../src/infra/db/database.js';

/** A member with enrolled cards, made directly in the database (fixtures for money tests). */
export interface MemberFixture {
  memberId: string;
  username: string;
  email: string;
  cardIds: string[];
  last4s: string[];
}

/**
 * Creates an active member and `cards` enrolled cards (status `enrolled`, memberId set), with
 * random last 4 digits. Optionally links the member to a chat (MemberChat) so notices find it.
 */
export async function memberWithCards(db: Database, o: { cards?: number; chatKey?: string; notifyUsage?: boolean; currency?: string } = {}): Promise<MemberFixture> {
  const memberId = newId();
  const tag = randomBytes(4).toString('hex');
  const username = `user_${tag}`;
  const email = `${username}@example.test`;
  await db.prisma.member.create({
    data: {
      id: memberId, username, usernameKey: username, email, emailKey: email, fullName: `Test ${tag}`, passwordHash: 'x', status: 'active',
      notifyUsage: o.notifyUsage ?? true, activatedAt: new Date(),
    },
  });
  if (o.chatKey) await db.prisma.memberChat.create({ data: { memberId, chatKey: o.chatKey, sessionId: `s_${tag}` } });
  const cardIds: string[] = [];
  const last4s: string[] = [];
  for (let i = 0; i < (o.cards ?? 1); i++) {
    const id = newId();
    const last4 = String(1000 + Math.floor(Math.random() * 9000));
    await db.prisma.card.create({
      data: {
        id, memberId, issuedEmailKey: email, last4, fingerprint: randomBytes(16).toString('hex'), expiryMonth: 12, expiryYear: 2030,
        currency: o.currency ?? 'JPY', pinHash: 'x', status: 'enrolled', enrolledAt: new Date(),
      },
    });
    cardIds.push(id);
    last4s.push(last4);
  }
  return { memberId, username, email, cardIds, last4s };
}

/** A session for `engine.setSession` that starts a chat logged in as the member. */
export function sessionFor(m: MemberFixture, now: number) {
  return { memberId: m.memberId, username: m.username, sessionId: `s_${m.memberId.slice(0, 8)}`, startedAt: now, lastSeenAt: now };
}
