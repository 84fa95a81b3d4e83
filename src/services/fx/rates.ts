import { newId } from '../../lib/ids.js';
import type { Database, Tx } from '../../infra/db/database.js';
import { audit } from '../audit.js';
import { currency, invert, parseRate, rate as exact, rateToString, type Rate } from '../../domain/money/index.js';

/** A stored rate, newest for its pair. */
export interface RateRow {
  id: string;
  base: string;
  quote: string;
  rate: string;
  spreadBps: number;
  feeBps: number;
  setBy: string;
  createdAt: Date;
}

/** The rate to use for a conversion from → to, in that direction, with its pair's spread and fee. */
export interface PairRate {
  mid: Rate;
  spreadBps: number;
  feeBps: number;
  rateId: string | null;
  setAt: Date | null;
}

/** What to store with {@link setRate}. */
export interface SetRateInput {
  base: string;
  quote: string;
  /** Decimal (`0.0066`) or exact fraction (`1000/151`): 1 base buys this many quote. */
  rate: string;
  spreadBps: number;
  feeBps: number;
  setBy: string;
  at: Date;
}

/** Stores a new rate for a pair (rates are never edited: the newest wins) and audits it. */
export async function setRate(db: Database, i: SetRateInput): Promise<RateRow> {
  const r = parseRate(i.rate);
  return db.tx(async (tx) => {
    const row = await setRateIn(tx, i);
    await audit(tx, { actor: i.setBy, action: 'fx.rate.set', target: `${row.base}/${row.quote}`, details: { rate: rateToString(r), spreadBps: i.spreadBps, feeBps: i.feeBps } });
    return row;
  });
}

/** {@link setRate} inside the caller's transaction, which writes its own audit row. Throws MoneyError on a bad pair or rate. */
export async function setRateIn(tx: Tx, i: SetRateInput): Promise<RateRow> {
  const base = currency(i.base).code;
  const quote = currency(i.quote).code;
  parseRate(i.rate);
  return tx.fxRate.create({
    data: { id: newId(), base, quote, rate: i.rate.trim(), spreadBps: i.spreadBps, feeBps: i.feeBps, setBy: i.setBy, createdAt: i.at },
  });
}

/** The newest rate stored for exactly this pair (base → quote), or null. */
export async function currentRate(tx: Tx, base: string, quote: string): Promise<RateRow | null> {
  return tx.fxRate.findFirst({ where: { base, quote }, orderBy: { createdAt: 'desc' } });
}

/** The newest rate of every pair. */
export async function latestRates(db: Database): Promise<RateRow[]> {
  const rows = await db.prisma.fxRate.findMany({ orderBy: [{ base: 'asc' }, { quote: 'asc' }, { createdAt: 'desc' }] });
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.base}/${r.quote}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The rate from → to: the newest row of either direction (the reverse one inverted exactly).
 * Same currency: 1/1, no spread, the configured same-currency fee. Null when no rate exists.
 */
export async function pairRate(tx: Tx, from: string, to: string, sameCurrencyFeeBps: number): Promise<PairRate | null> {
  if (from === to) return { mid: exact(1n, 1n), spreadBps: 0, feeBps: sameCurrencyFeeBps, rateId: null, setAt: null };
  const row = await tx.fxRate.findFirst({
    where: { OR: [{ base: from, quote: to }, { base: to, quote: from }] },
    orderBy: { createdAt: 'desc' },
  });
  if (!row) return null;
  const r = parseRate(row.rate);
  return { mid: row.base === from ? r : invert(r), spreadBps: row.spreadBps, feeBps: row.feeBps, rateId: row.id, setAt: row.createdAt };
}
