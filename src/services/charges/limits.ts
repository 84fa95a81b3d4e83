import { DateTime } from 'luxon';
import { zoneAbbreviation } from '../../domain/time/zone.js';
import type { Config } from '../../config/config.js';
import type { Tx } from '../../infra/db/database.js';
import { formatMoney, type MoneyLang } from '../../domain/money/index.js';
import { cardAccount } from '../ledger/index.js';
import { ChargeError } from './errors.js';

/** The limits a charge is checked against. */
export type ChargeLimitsConfig = Pick<Config, 'CHARGE_MIN' | 'CHARGE_MAX' | 'CHARGE_DAILY_MAX' | 'CARD_MAX_BALANCE' | 'OPERATOR_TIMEZONE'>;

/** Refuses a card that is not this member's enrolled card, or is frozen. */
export async function usableCard(tx: Tx, memberId: string, cardId: string): Promise<{ timeZone: string | null }> {
  const card = await tx.card.findUnique({ where: { id: cardId }, select: { memberId: true, status: true, frozenBy: true, last4: true, member: { select: { timeZone: true } } } });
  if (!card || card.memberId !== memberId || card.status !== 'enrolled') throw new ChargeError('CHARGE.CARD_UNAVAILABLE', 'card not available');
  if (card.frozenBy) throw new ChargeError('CHARGE.CARD_FROZEN', 'card is frozen', { last4: card.last4 });
  // The holder's zone comes with the same read: a quote names its expiry in it.
  return { timeZone: card.member?.timeZone ?? null };
}

/** Per charge, per member per day (operator's zone), and the card's balance including pending charges. */
export async function checkLimits(tx: Tx, config: ChargeLimitsConfig, memberId: string, cardId: string, cur: string, amount: bigint, lang: MoneyLang, now: Date): Promise<void> {
  const show = (v: bigint) => formatMoney(v, cur, lang);
  const min = config.CHARGE_MIN.get(cur);
  const max = config.CHARGE_MAX.get(cur);
  if (max === undefined) throw new ChargeError('CHARGE.CURRENCY_NOT_OFFERED', `${cur} is not offered`, { currency: cur });
  if (min !== undefined && amount < min) throw new ChargeError('CHARGE.BELOW_MIN', 'below minimum', { limit: show(min) });
  if (amount > max) throw new ChargeError('CHARGE.ABOVE_MAX', 'above maximum', { limit: show(max) });
  const daily = config.CHARGE_DAILY_MAX.get(cur);
  if (daily !== undefined) {
    const dayStart = DateTime.fromJSDate(now).setZone(config.OPERATOR_TIMEZONE).startOf('day').toJSDate();
    const today = await tx.charge.aggregate({ where: { memberId, toCurrency: cur, status: { in: ['pending', 'completed'] }, createdAt: { gte: dayStart } }, _sum: { toAmount: true } });
    const used = today._sum.toAmount ?? 0n;
    // The refusal names the operator day it counts (it may not be the member's "today").
    const day = DateTime.fromJSDate(dayStart).setZone(config.OPERATOR_TIMEZONE);
    const dayVars = { day: day.toFormat('MM/dd/yyyy'), zone: `${config.OPERATOR_TIMEZONE} (${zoneAbbreviation(config.OPERATOR_TIMEZONE, now)})` };
    if (used + amount > daily) throw new ChargeError('CHARGE.DAILY_LIMIT', 'daily limit', { limit: show(daily), left: show(daily - used > 0n ? daily - used : 0n), ...dayVars });
  }
  const cap = config.CARD_MAX_BALANCE.get(cur);
  if (cap !== undefined) {
    const acc = await tx.ledgerAccount.findUnique({ where: { code: cardAccount(cardId, cur).code }, select: { balance: true } });
    const pend = await tx.charge.aggregate({ where: { cardId, toCurrency: cur, status: 'pending' }, _sum: { toAmount: true } });
    const held = (acc?.balance ?? 0n) + (pend._sum.toAmount ?? 0n);
    if (held + amount > cap) throw new ChargeError('CHARGE.BALANCE_LIMIT', 'card balance limit', { limit: show(cap), left: show(cap - held > 0n ? cap - held : 0n) });
  }
}
