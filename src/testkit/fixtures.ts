import { hash } from '@node-rs/argon2';
import type { Session } from '../../flows/shared/protocol.js';
import type { App } from '../app/app.js';
import { newId } from '../lib/ids.js';
import { parseDecimal } from '../domain/money/parse.js';
import { cardAccount, operatorAccount } from '../services/ledger/accounts.js';
import { post } from '../services/ledger/post.js';
import type { Fixture } from './format.js';

/** A fixture could not be set up (a service it needs is missing, or refused). */
export class FixtureError extends Error {
  readonly code = 'CONVERSE.FIXTURE';
}

// Services are looked up by shape rather than imported by type: a fixture uses whatever the
// member, card and money services offer, and says clearly what is missing.
type Fn = (...args: unknown[]) => Promise<unknown>;
function method(app: App, path: string): Fn | undefined {
  let owner: unknown = app.services;
  const parts = path.split('.');
  for (const p of parts.slice(0, -1)) owner = (owner as Record<string, unknown> | undefined)?.[p];
  const f = (owner as Record<string, unknown> | undefined)?.[parts.at(-1)!];
  return typeof f === 'function' ? (f as Fn).bind(owner) : undefined;
}

/**
 * Creates the fixture's member (active), logs them in on the script's first chat, and issues and
 * enrolls their card with an optional starting balance. Returns variables for the script:
 * `username`, `email`, `password`, `memberId`, and for a card `cardId`, `last4`, `pin`.
 */
export async function applyFixture(app: App, f: Fixture, chat: { channel: string; chatId: string }): Promise<Record<string, string>> {
  const vars: Record<string, string> = {};
  if (!f.member) return vars;
  const m = f.member;
  const memberId = newId();
  const now = app.clock.now();
  await app.db.prisma.member.create({
    data: {
      id: memberId,
      username: m.username,
      usernameKey: m.username.trim().toLowerCase(),
      email: m.email,
      emailKey: m.email.trim().toLowerCase(),
      fullName: m.fullName ?? 'Test Cardholder',
      // argon2id like the member service (it verifies any argon2 hash).
      passwordHash: await hash(m.password),
      status: 'active',
      language: m.lang ?? 'en',
      activatedAt: now,
    },
  });
  Object.assign(vars, { username: m.username, email: m.email, password: m.password, memberId });

  if (f.card) {
    const c = f.card;
    const issue = method(app, 'cards.issue');
    if (!issue) throw new FixtureError('fixture.card needs services.cards.issue');
    const issued = (await issue({ email: m.email, currency: c.currency, actor: 'fixture' }, c.pin ? { pin: c.pin } : undefined)) as { card: { id: string }; pinMailer: { last4: string; initialPin: string } };
    const check = method(app, 'cards.checkInitialPin');
    const enroll = method(app, 'cards.enroll');
    if (!check || !enroll) throw new FixtureError('fixture.card needs services.cards.checkInitialPin and enroll');
    const r = (await check(memberId, issued.pinMailer.last4, issued.pinMailer.initialPin)) as { ok: boolean; cardId?: string; proof?: string; reason?: string };
    if (!r.ok) throw new FixtureError(`the fixture card could not be enrolled (${r.reason})`);
    const e = (await enroll(memberId, r.cardId, r.proof)) as { ok: boolean; reason?: string };
    if (!e.ok) throw new FixtureError(`the fixture card could not be enrolled (${e.reason})`);
    Object.assign(vars, { cardId: issued.card.id, last4: issued.pinMailer.last4, pin: issued.pinMailer.initialPin });
    if (c.balance !== undefined && c.balance !== '0') {
      // A balanced ledger entry from the operator's funding account, as a completed charge would post.
      const amount = parseDecimal(c.balance, c.currency);
      const cardId = issued.card.id;
      await app.db.tx((tx) =>
        post(tx, {
          idempotencyKey: `fixture:${cardId}`,
          kind: 'charge',
          memo: 'script fixture',
          at: app.clock.now(),
          postings: [
            { account: operatorAccount('funding', c.currency), amount: -amount },
            { account: cardAccount(cardId, c.currency), amount },
          ],
        }),
      );
      vars.balance = c.balance;
    }
  }

  if (m.loggedIn !== false) {
    const chatKey = `${chat.channel}:${chat.chatId}`;
    const start = method(app, 'members.sessions.start') ?? method(app, 'sessions.start');
    let session: Session;
    if (start) {
      session = ((await start(memberId, chatKey)) as { session: Session }).session;
    } else {
      const sessionId = newId();
      await app.db.prisma.memberChat.create({ data: { memberId, chatKey, sessionId } });
      session = { memberId, username: m.username, sessionId, startedAt: now.getTime(), lastSeenAt: now.getTime() };
    }
    await app.engine.setSession(chat.channel, chat.chatId, session);
  }
  return vars;
}
