import { caseKey } from '../../../../flows/signup/rules.js';
import type { Database } from '../../../infra/db/database.js';
import type { Clock } from '../../../lib/clock.js';
import type { Member } from '../../../generated/prisma/client.js';
import type { SupportMoney } from '../../support-money/index.js';
import type { CardDetail, FindResult, MemberDetail, MemberMatch, Movement, SearchField } from './types.js';

/** Movements shown with a member; older ones are counted ("and N more"). */
export const MOVEMENTS_SHOWN = 10;
/** Candidates listed when a look-up matches several cardholders. */
export const MATCHES_SHOWN = 20;

/** What a look-up needs: the database, the clock (log-in locks) and the money side's read models. */
export interface LookupDeps {
  db: Database;
  clock: Clock;
  money: Pick<SupportMoney, 'refundable' | 'reversible'>;
  /** Wrong passwords in a row for a username (AttemptLimit; the member row does not count them). */
  loginFailures(usernameKey: string): Promise<number>;
}

/** The field a look-up searches, by the form of the text: 4 digits, an e-mail address, else a username. */
export function searchFieldOf(query: string): SearchField {
  const q = query.trim();
  if (/^\d{4}$/.test(q)) return 'last4';
  return q.includes('@') ? 'email' : 'username';
}

interface MovementRow {
  id: string;
  at: string;
  amount: string;
  currency: string;
  kind: string;
  memo: string | null;
  last4: string;
  usageId: string | null;
  usageKind: string | null;
  chargeId: string | null;
  chargeStatus: string | null;
}

/**
 * The desk's read model of cardholders: look-up by username, e-mail or card last 4, and one
 * member's page (status, log-in lock, cards, recent movements, and the actions that apply now).
 */
export class DeskLookup {
  constructor(private readonly d: LookupDeps) {}

  /** Finds cardholders by username, e-mail (both ignoring case) or the last 4 digits of a card. */
  async find(query: string): Promise<FindResult> {
    const q = query.trim();
    const field = searchFieldOf(q);
    const prisma = this.d.db.prisma;
    let members: Member[];
    if (field === 'username') members = await prisma.member.findMany({ where: { usernameKey: caseKey(q) } });
    else if (field === 'email') members = await prisma.member.findMany({ where: { emailKey: caseKey(q) } });
    else {
      // A card not enrolled yet belongs to whoever has the e-mail it was issued to.
      const cards = await prisma.card.findMany({ where: { last4: q }, select: { memberId: true, issuedEmailKey: true } });
      members = await prisma.member.findMany({
        where: { OR: [{ id: { in: cards.flatMap((c) => (c.memberId ? [c.memberId] : [])) } }, { emailKey: { in: cards.filter((c) => !c.memberId).map((c) => c.issuedEmailKey) } }] },
        orderBy: { createdAt: 'asc' },
        take: MATCHES_SHOWN + 1,
      });
    }
    if (members.length === 0) return { kind: 'none', field, query: q };
    if (members.length === 1) return { kind: 'one', field, query: q, member: (await this.member(members[0]!.id))! };
    const shown = members.slice(0, MATCHES_SHOWN);
    const cards = await prisma.card.findMany({ where: { memberId: { in: shown.map((m) => m.id) } }, select: { memberId: true, last4: true }, orderBy: { createdAt: 'asc' } });
    const matches: MemberMatch[] = shown.map((m) => ({ memberId: m.id, username: m.username, fullName: m.fullName, status: m.status, last4s: cards.filter((c) => c.memberId === m.id).map((c) => c.last4) }));
    return { kind: 'many', field, query: q, matches, more: members.length - shown.length };
  }

  /** The member with this username (ignoring case), or null. */
  async byUsername(username: string): Promise<{ id: string; username: string } | null> {
    return this.d.db.prisma.member.findUnique({ where: { usernameKey: caseKey(username.trim()) }, select: { id: true, username: true } });
  }

  /** Whose card this is (the member who enrolled it), or null. */
  async cardOwner(cardId: string): Promise<{ memberId: string; username: string; last4: string } | null> {
    const c = await this.d.db.prisma.card.findUnique({ where: { id: cardId }, select: { last4: true, member: { select: { id: true, username: true } } } });
    return c?.member ? { memberId: c.member.id, username: c.member.username, last4: c.last4 } : null;
  }

  /** One member's page, or null when there is no such member. */
  async member(memberId: string): Promise<MemberDetail | null> {
    const prisma = this.d.db.prisma;
    const m = await prisma.member.findUnique({ where: { id: memberId } });
    if (!m) return null;
    const now = this.d.clock.now();
    const cardRows = await prisma.card.findMany({ where: { memberId }, orderBy: { createdAt: 'asc' } });
    const accounts = await prisma.ledgerAccount.findMany({ where: { kind: 'card', cardId: { in: cardRows.map((c) => c.id) } }, orderBy: { currency: 'asc' } });
    const cards: CardDetail[] = cardRows.map((c) => {
      const open = c.status !== 'closed';
      return {
        id: c.id,
        last4: c.last4,
        currency: c.currency,
        status: c.status,
        frozenBy: c.frozenBy,
        pinLocked: c.pinLocked,
        balances: accounts.filter((a) => a.cardId === c.id).map((a) => ({ currency: a.currency, amount: a.balance })),
        can: { resetPinLock: open && c.pinLocked, freeze: open && c.frozenBy !== 'support', unfreeze: open && c.frozenBy !== null },
      };
    });
    const { movements, total } = await this.movements(memberId);
    const locked = m.lockedUntil !== null && m.lockedUntil > now;
    return {
      id: m.id,
      username: m.username,
      fullName: m.fullName,
      email: m.email,
      status: m.status,
      language: m.language,
      loginLockedUntil: locked ? m.lockedUntil : null,
      failedLogins: await this.d.loginFailures(m.usernameKey),
      createdAt: m.createdAt,
      activatedAt: m.activatedAt,
      cards,
      movements,
      moreMovements: Math.max(0, total - movements.length),
      can: { unlockLogin: locked, resendActivation: m.status === 'pending' && m.pendingExpiresAt !== null && m.pendingExpiresAt > now },
    };
  }

  /** The newest postings on the member's cards, with the usage or charge each came from and what may still be refunded or reversed. */
  private async movements(memberId: string): Promise<{ movements: Movement[]; total: number }> {
    const q = this.d.db.raw.query.bind(this.d.db.raw);
    const from = `FROM "Posting" p JOIN "LedgerAccount" a ON a.id = p."accountId" JOIN "Card" c ON c.id = a."cardId" WHERE a.kind = 'card' AND c."memberId" = $1`;
    const [rows, count] = await Promise.all([
      q<MovementRow>(
        `SELECT p.id::text AS id, to_char(p."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, p.amount::text AS amount, p.currency, e.kind, e.memo, c.last4,
                u.id AS "usageId", u.kind AS "usageKind", ch.id AS "chargeId", ch.status AS "chargeStatus"
           FROM "Posting" p JOIN "LedgerAccount" a ON a.id = p."accountId" JOIN "Card" c ON c.id = a."cardId"
           JOIN "JournalEntry" e ON e.id = p."entryId"
           LEFT JOIN "CardUsage" u ON u."entryId" = e.id
           LEFT JOIN "Charge" ch ON ch."entryId" = e.id
          WHERE a.kind = 'card' AND c."memberId" = $1
          ORDER BY p."createdAt" DESC, p.id DESC LIMIT ${MOVEMENTS_SHOWN}`,
        [memberId],
      ),
      q<{ n: string }>(`SELECT COUNT(*)::text AS n ${from}`, [memberId]),
    ]);
    const movements: Movement[] = [];
    for (const r of rows) {
      const mv: Movement = { id: r.id, at: new Date(r.at), kind: r.kind, memo: r.memo, last4: r.last4, amount: BigInt(r.amount), currency: r.currency };
      if (r.usageId && (r.usageKind === 'purchase' || r.usageKind === 'atm')) {
        const left = (await this.d.money.refundable(r.usageId))?.left ?? 0n;
        if (left > 0n) mv.refund = { usageId: r.usageId, left };
      }
      if (r.chargeId && r.chargeStatus === 'completed') {
        const rev = await this.d.money.reversible(r.chargeId);
        const max = rev ? (rev.left < rev.balance ? rev.left : rev.balance) : 0n;
        if (max > 0n) mv.reverse = { chargeId: r.chargeId, max };
      }
      movements.push(mv);
    }
    return { movements, total: Number(count[0]?.n ?? 0) };
  }
}
