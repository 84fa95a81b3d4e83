import type { types } from '@slack/bolt';
import { ACTION } from '../ids.js';
import type { DeskCard, DeskFind, DeskMember, DeskMovement, SearchField } from '../ports.js';
import { actions, button, context, day, divider, esc, fields, header, message, money, section, signed, when, type DeskMessage } from './blocks.js';

/** Cards shown on a member's page (two blocks each); the rest are counted. */
export const CARDS_SHOWN = 8;

/** What a look-up searched, in words. */
const SEARCHED: Record<SearchField, string> = { username: 'usernames', email: 'e-mail addresses', last4: 'the last 4 digits of cards' };

/** A ledger entry's kind as the desk names it. */
export function kindLabel(kind: string): string {
  const names: Record<string, string> = { charge: 'Charge', purchase: 'Purchase', atm: 'ATM withdrawal', refund: 'Refund', reversal: 'Reversal', replacement: 'Card replaced' };
  return names[kind] ?? kind;
}

/** A card's one-line state. */
function cardLine(c: DeskCard): string {
  const state = [c.status, c.frozenBy ? `frozen by ${c.frozenBy}` : null, c.pinLocked ? 'PIN locked' : 'PIN not locked'].filter(Boolean).join(' · ');
  const balances = c.balances.length ? c.balances.map((b) => money(b.amount, b.currency)).join(', ') : money(0n, c.currency);
  return `*Card •••• ${c.last4}* · ${c.currency} · ${state}\nBalance: ${balances}`;
}

function cardBlocks(c: DeskCard): types.KnownBlock[] {
  const buttons = [
    ...(c.can.resetPinLock ? [button('Reset PIN lock', ACTION.resetPinLock, c.id)] : []),
    ...(c.can.unfreeze ? [button('Unfreeze', ACTION.unfreeze, c.id)] : c.can.freeze ? [button('Freeze', ACTION.freeze, c.id, 'danger')] : []),
  ];
  return [section(cardLine(c)), ...actions(`card-${c.id}`, buttons)];
}

function movementBlock(m: DeskMovement, zone: string): types.KnownBlock {
  const text = [when(m.at, zone), kindLabel(m.kind), m.memo ? esc(m.memo) : null, `•••• ${m.last4}`, `*${signed(m.amount, m.currency)}*`].filter(Boolean).join(' · ');
  if (m.refund) return section(`${text}\n_left to refund: ${money(m.refund.left, m.currency)}_`, button('Refund', ACTION.refund, m.refund.usageId));
  if (m.reverse) return section(`${text}\n_can be reversed: up to ${money(m.reverse.max, m.currency)}_`, button('Reverse', ACTION.reverse, m.reverse.chargeId));
  return section(text);
}

/** A member's page: who they are, their log-in, each card, recent movements, and buttons for what applies now. */
export function memberMessage(m: DeskMember, zone: string, noteLine?: string): DeskMessage {
  const login = m.loginLockedUntil ? `locked until ${when(m.loginLockedUntil, zone)}` : m.failedLogins > 0 ? `not locked (${m.failedLogins} failed)` : 'not locked';
  const memberButtons = [
    ...(m.can.unlockLogin ? [button('Unlock log-in', ACTION.unlockLogin, m.id, 'primary')] : []),
    ...(m.can.resendActivation ? [button('Resend activation', ACTION.resendActivation, m.id)] : []),
    button('History', ACTION.history, m.id),
  ];
  const blocks: types.KnownBlock[] = [
    header(`${m.username} · ${m.fullName}`),
    ...(noteLine ? [section(noteLine)] : []),
    fields([
      ['Status', m.status],
      ['Language', m.language],
      ['Log-in', login],
      ['E-mail', esc(m.email)],
      ['Created', when(m.createdAt, zone)],
      ['Activated', m.activatedAt ? when(m.activatedAt, zone) : 'not yet'],
    ]),
    ...actions(`member-${m.id}`, memberButtons),
    divider(),
  ];
  const open = [...m.cards].sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed'));
  if (open.length === 0) blocks.push(section('_No cards._'));
  for (const c of open.slice(0, CARDS_SHOWN)) blocks.push(...cardBlocks(c));
  if (open.length > CARDS_SHOWN) blocks.push(context(`and ${open.length - CARDS_SHOWN} more cards`));
  blocks.push(divider(), section('*Recent movements*'));
  if (m.movements.length === 0) blocks.push(context('No movements yet.'));
  for (const mv of m.movements) blocks.push(movementBlock(mv, zone));
  if (m.moreMovements > 0) blocks.push(context(`and ${m.moreMovements} more — \`/omnipay history ${m.username} <mm/dd/yyyy> <mm/dd/yyyy>\` sends them all as a CSV`));
  return message(`${m.username} (${m.status})${noteLine ? ` — ${noteLine}` : ''}`, blocks);
}

/** The answer to a look-up: the member, a list to pick from, or "no match" naming what was searched. */
export function findMessage(r: DeskFind, zone: string): DeskMessage {
  if (r.kind === 'one') return memberMessage(r.member, zone);
  if (r.kind === 'none') {
    const text = `No match: no cardholder has ${r.field === 'last4' ? 'a card ending in' : r.field === 'email' ? 'the e-mail address' : 'the username'} “${esc(r.query)}” (searched ${SEARCHED[r.field]}).`;
    return message(text, [section(text), context('Look up by username, e-mail or card last 4, e.g. `/omnipay lookup alice`, `/omnipay lookup alice@example.com`, `/omnipay lookup 4242`.')]);
  }
  const text = `${r.matches.length + r.more} cardholders match “${esc(r.query)}” (searched ${SEARCHED[r.field]}): pick one.`;
  const blocks: types.KnownBlock[] = [section(text)];
  for (const m of r.matches) {
    const cards = m.last4s.length ? m.last4s.map((l) => `•••• ${l}`).join(', ') : 'no cards';
    blocks.push(section(`*${esc(m.username)}* · ${esc(m.fullName)} · ${m.status} · ${cards}`, button(m.username, ACTION.pick, m.memberId)));
  }
  if (r.more > 0) blocks.push(context(`and ${r.more} more — look up by username or e-mail to narrow it down`));
  return message(text, blocks);
}

/** The day a history period starts by default: the first of this month, and today. */
export function defaultPeriod(now: Date, zone: string): { from: string; to: string } {
  const today = day(now, zone);
  return { from: `${today.slice(0, 3)}01${today.slice(5)}`, to: today };
}
