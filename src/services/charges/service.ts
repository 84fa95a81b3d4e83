import type { QuoteView } from '../../../flows/charge/machine.js';
import { DateTime } from 'luxon';
import type { Clock } from '../../app/clock.js';
import type { Config } from '../../app/config.js';
import { newId, shortToken } from '../../app/ids.js';
import type { Logger } from '../../app/logger.js';
import type { Database, Tx } from '../../infra/db/database.js';
import {
  CURRENCY_CODES, convert, displayRate, invert, parseRate, formatMoney, MoneyError, parseAmount, priceCharge, rateToString, type MoneyLang, type QuoteSide,
} from '../../domain/money/index.js';
import { raiseAlert } from '../alerts.js';
import { cardAccount, operatorAccount, post, type AccountRow, type PostingInput } from '../ledger/index.js';
import { kickMail } from '../mail/runner.js';
import { queueNotice } from '../notices.js';
import { pairRate } from '../fx/rates.js';
import { ChargeError } from './errors.js';
import { chargeCompletedMail } from './mail.js';

/** What the charge flow shows of a quote: the flow's own type (strings only: it lives in the chat's snapshot). */
export type { QuoteView };

/** A charge as the flow and the CLI see it. */
export interface ChargeView {
  chargeId: string;
  reference: string;
  status: string;
  fromText: string;
  toText: string;
  /** How to pay: a catalogue key and its variables (depends on the payment provider). */
  payKey: string;
  payVars: Record<string, string | number>;
}

/** A request for a quote. */
export interface QuoteRequest {
  memberId: string;
  cardId: string;
  from: string;
  to: string;
  /** What the person typed, in either currency. */
  text: string;
  lang: MoneyLang;
}

/** Outcome of a quote request: the quote, or a refusal code with the variables its message shows. */
export type QuoteResult = { ok: true; quote: QuoteView } | { ok: false; code: string; vars: Record<string, string> };

/** How a payment provider asks to be paid. */
export interface PaymentProvider {
  /** `sandbox` confirms by itself after a delay; `external` waits for `/payments/webhook`. */
  readonly name: 'sandbox' | 'external';
  /** When the sandbox confirms a charge created at `now` (null: the provider's webhook will). */
  confirmAt(now: Date): Date | null;
  /** The catalogue key telling how to pay. */
  readonly payKey: string;
}

/** The built-in providers. */
export function paymentProvider(config: Pick<Config, 'SANDBOX_PAYMENTS' | 'SANDBOX_PAYMENT_DELAY_SECONDS'>): PaymentProvider {
  if (config.SANDBOX_PAYMENTS) {
    const delay = config.SANDBOX_PAYMENT_DELAY_SECONDS * 1000;
    return { name: 'sandbox', payKey: 'charge-pay-sandbox', confirmAt: (now) => new Date(now.getTime() + delay) };
  }
  return { name: 'external', payKey: 'charge-pay-external', confirmAt: () => null };
}

/** What the charge service needs. */
export interface ChargeDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  config: Config;
}

type ChargeRow = NonNullable<Awaited<ReturnType<Database['prisma']['charge']['findUnique']>>>;

/**
 * Card charges: quotes (fixed rate, fee, both amounts, expiry), confirmation into a pending charge,
 * completion when the payment arrives (ledger entry + chat notice + e-mail in one transaction),
 * failure and expiry. Every step is idempotent: a double [Confirm], a replayed webhook or a crash
 * and retry never charge twice (the ledger key is `charge:<quoteId>`).
 */
export class ChargeService {
  readonly provider: PaymentProvider;
  /** Ledger accounts by code, as committed (ids are permanent), to save a lookup per completion. */
  private readonly accounts = new Map<string, AccountRow>();

  constructor(private readonly deps: ChargeDeps, provider?: PaymentProvider) {
    this.provider = provider ?? paymentProvider(deps.config);
  }

  /** Currencies a card can be charged in (those with a maximum configured). */
  chargeCurrencies(): string[] {
    return CURRENCY_CODES.filter((c) => this.deps.config.CHARGE_MAX.has(c));
  }

  /** Currencies a cardholder can pay with. */
  payCurrencies(): string[] {
    return [...CURRENCY_CODES];
  }

  /** What a card can be charged in and paid with, or why it cannot be charged now. */
  async options(memberId: string, cardId: string): Promise<{ ok: true; pay: string[]; charge: string[] } | { ok: false; code: string; vars: Record<string, string> }> {
    try {
      await this.deps.db.tx((tx) => this.usableCard(tx, memberId, cardId));
      return { ok: true, pay: this.payCurrencies(), charge: this.chargeCurrencies() };
    } catch (err) {
      if (err instanceof ChargeError) return { ok: false, code: err.code, vars: err.vars };
      throw err;
    }
  }

  /** Prices a charge and stores the quote; refusals come back as codes (never thrown for user input). */
  async quote(r: QuoteRequest): Promise<QuoteResult> {
    try {
      return { ok: true, quote: await this.makeQuote(r) };
    } catch (err) {
      if (err instanceof ChargeError && err.code === 'CHARGE.RATE_STALE') {
        // Raised after the quote's transaction rolled back, so the alert is kept.
        await this.deps.db.tx((tx) => this.staleAlert(tx, r.from, r.to, this.deps.clock.now()));
      }
      if (err instanceof ChargeError) return { ok: false, code: err.code, vars: err.vars };
      if (err instanceof MoneyError) return { ok: false, code: err.code, vars: { from: r.from, to: r.to } };
      throw err;
    }
  }

  private async makeQuote(r: QuoteRequest): Promise<QuoteView> {
    const { config, clock } = this.deps;
    const now = clock.now();
    if (!this.chargeCurrencies().includes(r.to)) throw new ChargeError('CHARGE.CURRENCY_NOT_OFFERED', `${r.to} is not offered`, { currency: r.to });
    // A bare number is taken in the charge currency (what lands on the card); a named currency decides.
    const typed = parseAmount(r.text, { allowed: [...new Set([r.from, r.to])], fallback: r.to });
    const side: QuoteSide = typed.currency === r.to ? 'receive' : 'pay';
    return this.deps.db.tx(async (tx) => {
      await this.usableCard(tx, r.memberId, r.cardId);
      const pr = await pairRate(tx, r.from, r.to, config.CHARGE_SAME_CURRENCY_FEE_BPS);
      if (!pr) throw new ChargeError('CHARGE.NO_RATE', `no rate ${r.from}/${r.to}`, { from: r.from, to: r.to });
      if (pr.setAt && now.getTime() - pr.setAt.getTime() > config.RATE_MAX_AGE_HOURS * 3600_000) {
        throw new ChargeError('CHARGE.RATE_STALE', `rate ${r.from}/${r.to} is stale`, { from: r.from, to: r.to });
      }
      const priced = priceCharge({ from: r.from, to: r.to, mid: pr.mid, spreadBps: pr.spreadBps, feeBps: pr.feeBps, amount: typed.amount, side });
      await this.checkLimits(tx, r.memberId, r.cardId, r.to, priced.toAmount, r.lang, now);
      const expiresAt = new Date(now.getTime() + config.QUOTE_TTL_MINUTES * 60_000);
      const id = newId();
      await tx.quote.create({
        data: {
          id, memberId: r.memberId, cardId: r.cardId, fromCurrency: r.from, fromAmount: priced.fromAmount, toCurrency: r.to, toAmount: priced.toAmount,
          fee: priced.fee, rate: rateToString(priced.customerRate), rateId: pr.rateId, expiresAt, createdAt: now,
        },
      });
      return {
        quoteId: id, cardId: r.cardId, from: r.from, to: r.to,
        fromText: formatMoney(priced.fromAmount, r.from, r.lang), toText: formatMoney(priced.toAmount, r.to, r.lang),
        feeText: formatMoney(priced.fee, r.from, r.lang), rateText: `1 ${r.from} = ${displayRate(priced.customerRate)} ${r.to}`,
        expiresAt: expiresAt.getTime(),
        validMinutes: config.QUOTE_TTL_MINUTES,
        expiresText: DateTime.fromJSDate(expiresAt).setZone(config.OPERATOR_TIMEZONE).toFormat('HH:mm'),
      };
    });
  }

  /**
   * Turns a quote into a pending charge. Idempotent: confirming the same quote again returns the same
   * charge. An expired quote is refused (`CHARGE.QUOTE_EXPIRED`): the flow re-quotes.
   */
  async confirm(i: { quoteId: string; memberId: string; chatKey: string; lang: MoneyLang }): Promise<ChargeView> {
    const { config, clock } = this.deps;
    const existing = await this.deps.db.prisma.charge.findUnique({ where: { quoteId: i.quoteId } });
    if (existing) return this.view(existing, i.lang);
    const now = clock.now();
    try {
      const charge = await this.deps.db.tx(async (tx) => {
        const q = await tx.quote.findUnique({ where: { id: i.quoteId } });
        if (!q || q.memberId !== i.memberId) throw new ChargeError('CHARGE.QUOTE_NOT_FOUND', 'no such quote');
        // One confirmation per member at a time, so two charges cannot both fit under the same limit.
        await tx.$queryRawUnsafe(`SELECT id FROM "Member" WHERE id = $1 FOR NO KEY UPDATE`, q.memberId);
        const again = await tx.charge.findUnique({ where: { quoteId: q.id } });
        if (again) return again;
        if (q.expiresAt.getTime() <= now.getTime()) throw new ChargeError('CHARGE.QUOTE_EXPIRED', 'quote expired');
        await this.usableCard(tx, q.memberId, q.cardId);
        await this.checkLimits(tx, q.memberId, q.cardId, q.toCurrency, q.toAmount, i.lang, now);
        return tx.charge.create({
          data: {
            id: newId(), reference: `CH-${shortToken(8)}`, quoteId: q.id, memberId: q.memberId, cardId: q.cardId, chatKey: i.chatKey,
            fromCurrency: q.fromCurrency, fromAmount: q.fromAmount, toCurrency: q.toCurrency, toAmount: q.toAmount, fee: q.fee,
            confirmAt: this.provider.confirmAt(now), expiresAt: new Date(now.getTime() + config.CHARGE_EXPIRY_HOURS * 3600_000), createdAt: now,
          },
        });
      });
      this.deps.log.info({ charge: charge.id, reference: charge.reference }, 'charge received');
      return this.view(charge, i.lang);
    } catch (err) {
      // Two [Confirm]s at once: the unique quoteId lets one create the charge; the other returns it.
      const raced = await this.deps.db.prisma.charge.findUnique({ where: { quoteId: i.quoteId } });
      if (raced) return this.view(raced, i.lang);
      throw err;
    }
  }

  /**
   * The payment arrived: posts the ledger entry and, in the same transaction, queues the chat
   * notice "Charge completed" and the completion e-mail. Safe to call any number of times.
   */
  async complete(chargeId: string, source: string): Promise<{ status: string; replayed: boolean }> {
    const now = this.deps.clock.now();
    const entryId = newId();
    const done = await this.deps.db.tx(async (tx) => {
      // Wins the charge (pending → completed) and reads all it needs in one statement.
      const [c] = await tx.$queryRawUnsafe<CompletionRow[]>(
        `WITH won AS (
           UPDATE "Charge" SET status = 'completed', "completedAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "entryId" = $3
            WHERE id = $1 AND status = 'pending' RETURNING *)
         SELECT w.id, w.reference, w."quoteId", w."memberId", w."cardId", w."chatKey", w."fromCurrency", w."fromAmount"::text AS "fromAmount",
                w."toCurrency", w."toAmount"::text AS "toAmount", w.fee::text AS fee, q."rateId", r.base AS "rateBase", r.rate AS "rateText",
                m.email, m."fullName", m.language, c.last4, mc."chatKey" AS "linkedChat"
           FROM won w JOIN "Quote" q ON q.id = w."quoteId" LEFT JOIN "FxRate" r ON r.id = q."rateId"
           JOIN "Member" m ON m.id = w."memberId" LEFT JOIN "Card" c ON c.id = w."cardId" LEFT JOIN "MemberChat" mc ON mc."memberId" = w."memberId"`,
        chargeId, now.toISOString(), entryId,
      );
      if (!c) {
        const existing = await tx.charge.findUnique({ where: { id: chargeId }, select: { status: true } });
        if (!existing) throw new ChargeError('CHARGE.NOT_FOUND', `no charge ${chargeId}`);
        return { status: existing.status, replayed: true };
      }
      const charge = { cardId: c.cardId, fromCurrency: c.fromCurrency, fromAmount: BigInt(c.fromAmount), toCurrency: c.toCurrency, toAmount: BigInt(c.toAmount), fee: BigInt(c.fee) };
      const spread = c.rateText && c.rateBase ? spreadAt(charge, c.rateBase, c.rateText) : 0n;
      const lang = (c.language === 'ja' ? 'ja' : 'en') as MoneyLang;
      const vars = { reference: c.reference, amount: formatMoney(charge.toAmount, c.toCurrency, lang), paid: formatMoney(charge.fromAmount, c.fromCurrency, lang), last4: c.last4 ?? '????' };
      // Notice and e-mail first; the ledger (hot operator rows) last, right before the commit.
      const target = c.linkedChat || !c.chatKey ? { memberId: c.memberId } : { chatKey: c.chatKey };
      const mail = chargeCompletedMail({ to: c.email, fullName: c.fullName, lang, ...vars, fee: formatMoney(charge.fee, c.fromCurrency, lang), at: now, zone: this.deps.config.OPERATOR_TIMEZONE });
      // The rows queueNotice and enqueueMail write, in one round trip (completion is the hot path).
      await tx.$executeRawUnsafe(
        `WITH n AS (INSERT INTO "ChatNotice" (id, "memberId", "chatKey", key, vars) VALUES ($1, $2, $3, 'charge-completed', $4::jsonb))
         INSERT INTO "Outbox" (id, "to", subject, text, html, template) VALUES ($5, $6, $7, $8, $9, $10)`,
        newId(), 'memberId' in target ? target.memberId : null, 'chatKey' in target ? target.chatKey : null, JSON.stringify(vars),
        newId(), mail.to, mail.subject, mail.text, mail.html ?? null, mail.template,
      );
      const legs = chargePostings(charge, spread);
      const known = legs.every((l) => this.accounts.has(l.account.code)) ? this.accounts : undefined;
      const posted = await post(tx, { id: entryId, idempotencyKey: `charge:${c.quoteId}`, kind: 'charge', memo: c.reference, at: now, postings: legs }, known ? { accounts: known } : {});
      if (posted.entryId !== entryId) throw new Error(`charge ${c.id}: ledger key already used by entry ${posted.entryId}`);
      return { status: 'completed', replayed: false, entryId, id: c.id, accounts: posted.accounts };
    });
    // Account rows never change once created; remember them only after they are committed.
    if (!done.replayed && done.accounts) {
      if (this.accounts.size > 10_000) this.accounts.clear();
      for (const [code, row] of done.accounts) this.accounts.set(code, row);
    }
    if (!done.replayed) this.deps.log.info({ charge: chargeId, entry: entryId, source }, 'charge completed');
    // The e-mail was committed with the entry: let a running outbox sender take it now.
    if (!done.replayed) kickMail();
    return { status: done.status, replayed: done.replayed };
  }

  /** The payment failed: the charge is marked failed (no ledger trace) and the cardholder told. */
  async fail(chargeId: string, reason: string): Promise<{ status: string; replayed: boolean }> {
    return this.close(chargeId, 'failed', 'charge-failed', reason);
  }

  /** Marks unpaid charges past their expiry as expired and tells each cardholder. */
  async expireDue(limit = 100): Promise<number> {
    const due = await this.deps.db.prisma.charge.findMany({ where: { status: 'pending', expiresAt: { lte: this.deps.clock.now() } }, take: limit, select: { id: true } });
    let n = 0;
    for (const c of due) if (!(await this.close(c.id, 'expired', 'charge-expired', 'unpaid')).replayed) n++;
    return n;
  }

  /** Completes sandbox charges whose simulated payment is due (scheduled in the database). */
  async confirmDueSandbox(limit = 100): Promise<number> {
    if (this.provider.name !== 'sandbox') return 0;
    const now = this.deps.clock.now();
    const due = await this.deps.db.prisma.charge.findMany({ where: { status: 'pending', confirmAt: { lte: now }, expiresAt: { gt: now } }, take: limit, select: { id: true } });
    let n = 0;
    for (const c of due) if (!(await this.complete(c.id, 'sandbox')).replayed) n++;
    return n;
  }

  /** Pending charges of some cards (balance inquiry). */
  async pending(cardIds: string[]): Promise<{ cardId: string; currency: string; amount: bigint }[]> {
    if (!cardIds.length) return [];
    const rows = await this.deps.db.prisma.charge.groupBy({ by: ['cardId', 'toCurrency'], where: { cardId: { in: cardIds }, status: 'pending' }, _sum: { toAmount: true } });
    return rows.map((r) => ({ cardId: r.cardId, currency: r.toCurrency, amount: r._sum.toAmount ?? 0n }));
  }

  private async close(chargeId: string, status: 'failed' | 'expired', key: string, reason: string) {
    const now = this.deps.clock.now();
    return this.deps.db.tx(async (tx) => {
      const won = await tx.charge.updateMany({ where: { id: chargeId, status: 'pending' }, data: { status, failReason: reason.slice(0, 200) } });
      const c = await tx.charge.findUnique({ where: { id: chargeId } });
      if (!c) throw new ChargeError('CHARGE.NOT_FOUND', `no charge ${chargeId}`);
      if (won.count === 0) return { status: c.status, replayed: true };
      const member = await tx.member.findUnique({ where: { id: c.memberId }, select: { language: true } });
      const lang = (member?.language === 'ja' ? 'ja' : 'en') as MoneyLang;
      await queueNotice(tx, { ...(await this.noticeTarget(tx, c)), key, vars: { reference: c.reference, amount: formatMoney(c.toAmount, c.toCurrency, lang) } });
      this.deps.log.info({ charge: c.id, status, at: now.toISOString() }, 'charge closed');
      return { status, replayed: false };
    });
  }

  /** The member's current chat when they are linked to one, else the chat the charge was made in. */
  private async noticeTarget(tx: Tx, c: ChargeRow): Promise<{ memberId: string } | { chatKey: string }> {
    const linked = await tx.memberChat.findUnique({ where: { memberId: c.memberId } });
    if (linked || !c.chatKey) return { memberId: c.memberId };
    return { chatKey: c.chatKey };
  }

  private view(c: ChargeRow, lang: MoneyLang): ChargeView {
    return {
      chargeId: c.id, reference: c.reference, status: c.status,
      fromText: formatMoney(c.fromAmount, c.fromCurrency, lang), toText: formatMoney(c.toAmount, c.toCurrency, lang),
      payKey: this.provider.payKey,
      payVars: { reference: c.reference, amount: formatMoney(c.fromAmount, c.fromCurrency, lang), seconds: this.deps.config.SANDBOX_PAYMENT_DELAY_SECONDS, hours: this.deps.config.CHARGE_EXPIRY_HOURS },
    };
  }

  private async usableCard(tx: Tx, memberId: string, cardId: string): Promise<void> {
    const card = await tx.card.findUnique({ where: { id: cardId }, select: { memberId: true, status: true, frozenBy: true, last4: true } });
    if (!card || card.memberId !== memberId || card.status !== 'enrolled') throw new ChargeError('CHARGE.CARD_UNAVAILABLE', 'card not available');
    if (card.frozenBy) throw new ChargeError('CHARGE.CARD_FROZEN', 'card is frozen', { last4: card.last4 });
  }

  /** Per charge, per member per day (operator's zone), and the card's balance including pending charges. */
  private async checkLimits(tx: Tx, memberId: string, cardId: string, cur: string, amount: bigint, lang: MoneyLang, now: Date): Promise<void> {
    const { config } = this.deps;
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
      if (used + amount > daily) throw new ChargeError('CHARGE.DAILY_LIMIT', 'daily limit', { limit: show(daily), left: show(daily - used > 0n ? daily - used : 0n) });
    }
    const cap = config.CARD_MAX_BALANCE.get(cur);
    if (cap !== undefined) {
      const acc = await tx.ledgerAccount.findUnique({ where: { code: cardAccount(cardId, cur).code }, select: { balance: true } });
      const pend = await tx.charge.aggregate({ where: { cardId, toCurrency: cur, status: 'pending' }, _sum: { toAmount: true } });
      const held = (acc?.balance ?? 0n) + (pend._sum.toAmount ?? 0n);
      if (held + amount > cap) throw new ChargeError('CHARGE.BALANCE_LIMIT', 'card balance limit', { limit: show(cap), left: show(cap - held > 0n ? cap - held : 0n) });
    }
  }

  private async staleAlert(tx: Tx, from: string, to: string, now: Date): Promise<void> {
    // One alert per pair per hour is enough for support; every refused quote would flood them.
    const recent = await tx.alert.findFirst({ where: { kind: 'stale-rate', createdAt: { gte: new Date(now.getTime() - 3600_000) }, details: { path: ['pair'], equals: `${from}/${to}` } } });
    if (!recent) await raiseAlert(tx, { kind: 'stale-rate', details: { pair: `${from}/${to}`, maxAgeHours: this.deps.config.RATE_MAX_AGE_HOURS } });
    this.deps.log.warn({ pair: `${from}/${to}` }, 'stale rate: charging in this pair is paused');
  }
}

/**
 * The ledger legs of a completed charge. Same currency: card +to, fee +fee, funding −paid. FX: the
 * paid currency leaves funding into FX liquidity (principal) and revenue (fee); the card currency
 * leaves FX liquidity at the mid rate into the card and revenue (spread).
 */
export function chargePostings(c: { cardId: string; fromCurrency: string; fromAmount: bigint; toCurrency: string; toAmount: bigint; fee: bigint }, spread: bigint): PostingInput[] {
  const legs: PostingInput[] = [{ account: operatorAccount('funding', c.fromCurrency), amount: -c.fromAmount }];
  if (c.fromCurrency === c.toCurrency) {
    // Same currency: the principal lands on the card; a rounding remainder (never negative) is revenue.
    const revenue = c.fromAmount - c.toAmount;
    if (revenue > 0n) legs.push({ account: operatorAccount('fee', c.fromCurrency), amount: revenue });
    legs.push({ account: cardAccount(c.cardId, c.toCurrency), amount: c.toAmount });
    return legs;
  }
  if (c.fee > 0n) legs.push({ account: operatorAccount('fee', c.fromCurrency), amount: c.fee });
  legs.push({ account: operatorAccount('fx', c.fromCurrency), amount: c.fromAmount - c.fee });
  legs.push({ account: operatorAccount('fx', c.toCurrency), amount: -(c.toAmount + spread) });
  if (spread > 0n) legs.push({ account: operatorAccount('fee', c.toCurrency), amount: spread });
  legs.push({ account: cardAccount(c.cardId, c.toCurrency), amount: c.toAmount });
  return legs;
}

/** What charge completion reads in its first statement. */
interface CompletionRow {
  id: string;
  reference: string;
  quoteId: string;
  memberId: string;
  cardId: string;
  chatKey: string | null;
  fromCurrency: string;
  fromAmount: string;
  toCurrency: string;
  toAmount: string;
  fee: string;
  rateId: string | null;
  rateBase: string | null;
  rateText: string | null;
  email: string;
  fullName: string;
  language: string;
  last4: string | null;
  linkedChat: string | null;
}

/** The spread of a charge priced from the stored rate row (`base`, `rate` text): see {@link spreadOf}. */
export function spreadAt(c: { fromCurrency: string; toCurrency: string; fromAmount: bigint; fee: bigint; toAmount: bigint }, base: string, rateText: string): bigint {
  if (c.fromCurrency === c.toCurrency) return 0n;
  const r = parseRate(rateText);
  const mid = base === c.fromCurrency ? r : invert(r);
  const spread = convert(c.fromAmount - c.fee, c.fromCurrency, c.toCurrency, mid, 'floor') - c.toAmount;
  return spread > 0n ? spread : 0n;
}

/**
 * The FX spread of a quote, in the card currency: the principal's value at the quote's mid rate
 * (its FxRate row) less what lands on the card. Zero for same-currency charges.
 */
export async function spreadOf(tx: Tx, q: { fromCurrency: string; toCurrency: string; fromAmount: bigint; fee: bigint; toAmount: bigint; rateId: string | null }): Promise<bigint> {
  if (q.fromCurrency === q.toCurrency || !q.rateId) return 0n;
  const row = await tx.fxRate.findUniqueOrThrow({ where: { id: q.rateId } });
  const r = parseRate(row.rate);
  const mid = row.base === q.fromCurrency ? r : invert(r);
  const spread = convert(q.fromAmount - q.fee, q.fromCurrency, q.toCurrency, mid, 'floor') - q.toAmount;
  return spread > 0n ? spread : 0n;
}
