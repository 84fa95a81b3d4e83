import { DateTime } from 'luxon';
import { formatMoney } from '../../domain/money/index.js';
import type { Tx } from '../../infra/db/database.js';
import type { ContextMember } from './types.js';

const MOVEMENTS = 5;
const ALERTS = 5;
const CARDS = 10;
const ALERT_DAYS = 7;

/** A time as support reads it, in the operator's zone: `2026-12-02 14:05 Asia/Tokyo`. */
export function supportTime(at: Date, zone: string): string {
  return `${DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone}`;
}

/** What a card's state column says. */
function cardState(c: { status: string; frozenBy: string | null; pinLocked: boolean }): string {
  const parts = [c.status === 'enrolled' ? 'active' : c.status];
  if (c.frozenBy) parts.push(`frozen by ${c.frozenBy}`);
  if (c.pinLocked) parts.push('PIN locked');
  return parts.join(', ');
}

/**
 * The member's side of a ticket's context: status, log-in lock, each card (last 4, state, balance),
 * the last movements on their cards and the recent alerts about them. Never a secret: no card
 * number, PIN, code or password is read here.
 */
export async function memberContext(tx: Tx, memberId: string, now: Date, zone: string): Promise<ContextMember | null> {
  const m = await tx.member.findUnique({ where: { id: memberId }, select: { id: true, username: true, status: true, language: true, lockedUntil: true } });
  if (!m) return null;
  const cards = await tx.card.findMany({ where: { memberId }, orderBy: { createdAt: 'asc' }, take: CARDS, select: { id: true, last4: true, currency: true, status: true, frozenBy: true, pinLocked: true } });
  const accounts = await tx.ledgerAccount.findMany({ where: { kind: 'card', cardId: { in: cards.map((c) => c.id) } }, select: { cardId: true, currency: true, balance: true } });
  // The context is read by the support team, in the desk's language (English), whatever the cardholder speaks.
  const lang = 'en';
  const postings = await tx.posting.findMany({
    where: { account: { kind: 'card', card: { memberId } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MOVEMENTS,
    select: { amount: true, currency: true, createdAt: true, entry: { select: { kind: true } }, account: { select: { card: { select: { last4: true } } } } },
  });
  const alerts = await tx.alert.findMany({ where: { memberId, createdAt: { gte: new Date(now.getTime() - ALERT_DAYS * 86_400_000) } }, orderBy: { createdAt: 'desc' }, take: ALERTS, select: { kind: true, createdAt: true } });
  return {
    id: m.id,
    username: m.username,
    status: m.status,
    language: m.language,
    loginLocked: m.lockedUntil !== null && m.lockedUntil.getTime() > now.getTime(),
    cards: cards.map((c) => {
      const own = accounts.filter((a) => a.cardId === c.id);
      const balance = own.length ? own.map((a) => formatMoney(a.balance, a.currency, lang)).join(', ') : formatMoney(0n, c.currency, lang);
      return { last4: c.last4, currency: c.currency, state: cardState(c), balance };
    }),
    movements: postings.map((p) => ({ at: supportTime(p.createdAt, zone), last4: p.account.card?.last4 ?? '????', kind: p.entry.kind, amount: (p.amount > 0n ? '+' : '') + formatMoney(p.amount, p.currency, lang) })),
    alerts: alerts.map((a) => ({ kind: a.kind, at: supportTime(a.createdAt, zone) })),
  };
}
