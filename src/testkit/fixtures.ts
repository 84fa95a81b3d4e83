import { hash } from '@node-rs/argon2';
import type { Session } from '../../flows/shared/protocol.js';
import type { App } from '../app/app.js';
import { newId } from '../lib/ids.js';
import { luhnCheckDigit } from '../domain/cards/luhn.js';
import { parseDecimal } from '../domain/money/parse.js';
import { cardAccount, operatorAccount } from '../services/ledger/accounts.js';
import { post } from '../services/ledger/post.js';
import type { Fixture, FixtureCard, FixtureMember } from './format.js';

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
 * A card number under `bin` that ends in `last4`: random account digits, one of them chosen so the
 * Luhn check digit is the last of the four (doubling or not, one digit reaches every residue).
 */
export function cardNumberEnding(bin: string, last4: string): string {
  if (!/^\d{4}$/.test(last4)) throw new FixtureError(`fixture.card.last4 must be 4 digits, got "${last4}"`);
  let head = bin;
  while (head.length < 11) head += String(Math.floor(Math.random() * 10));
  for (let d = 0; d < 10; d++) {
    const body = `${head}${d}${last4.slice(0, 3)}`;
    if (luhnCheckDigit(body) === last4[3]) return body + last4[3];
  }
  throw new FixtureError(`no card number under ${bin} ends in ${last4}`);
}

/**
 * Creates the fixture's member (active), logs them in on the script's first chat, and issues and
 * enrolls their card with an optional starting balance; then the `others` (members with no chat).
 * Returns variables for the script: `username`, `email`, `password`, `memberId`, and for a card
 * `cardId`, `last4`, `pin`.
 */
export async function applyFixture(app: App, f: Fixture, chat: { channel: string; chatId: string }): Promise<Record<string, string>> {
  const vars: Record<string, string> = {};
  if (!f.member) return vars;
  const m = f.member;
  Object.assign(vars, await createMember(app, m, f.card));
  for (const o of f.others ?? []) await createMember(app, o.member, o.card);

  if (m.loggedIn !== false) {
    const memberId = vars.memberId!;
    const now = app.clock.now();
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

/** One fixture member (active) and their enrolled card with its starting balance; their variables. */
async function createMember(app: App, m: FixtureMember, c: FixtureCard | undefined): Promise<Record<string, string>> {
  const vars: Record<string, string> = {};
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
  if (!c) return vars;
  const issue = method(app, 'cards.issue');
  if (!issue) throw new FixtureError('fixture.card needs services.cards.issue');
  const forTest = { ...(c.pin ? { pin: c.pin } : {}), ...(c.last4 ? { pan: cardNumberEnding(app.config.CARD_BIN, c.last4) } : {}) };
  const issued = (await issue({ email: m.email, currency: c.currency, actor: 'fixture' }, Object.keys(forTest).length ? forTest : undefined)) as { card: { id: string }; pinMailer: { last4: string; initialPin: string } };
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
  return vars;
}
