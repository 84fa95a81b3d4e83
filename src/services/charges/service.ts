import type { QuoteView } from '../../../flows/charge/machine.js';
import { newId, shortToken } from '../../lib/ids.js';
import type { Tx } from '../../infra/db/database.js';
import { CURRENCY_CODES, displayRate, formatMoney, MoneyError, priceCharge, rateToString, type MoneyLang, type Priced } from '../../domain/money/index.js';
import { raiseAlert } from '../alerts.js';
import { pairRate } from '../fx/rates.js';
import { ChargeCompletion, type CompletionResult } from './completion.js';
import { applyPaymentEvent, type PaymentEvent, type PaymentEventResult } from './events.js';
import { ChargeError } from './errors.js';
import { checkLimits, usableCard } from './limits.js';
import { decide, readingsOf, sideOf, typedForm, type Tried } from './readings.js';
import { formatInZone } from '../../domain/time/zone.js';
import { paymentProvider, type PaymentProvider } from './provider.js';
import type { ChargeDeps, ChargeRow } from './types.js';

export { paymentProvider, type PaymentProvider } from './provider.js';
export { chargePostings, spreadAt } from './postings.js';
export type { ChargeDeps, ChargeRow } from './types.js';

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

/**
 * Card charges: quotes (fixed rate, fee, both amounts, expiry) and confirmation into a pending
 * charge; the payment side (completion, failure, expiry) is {@link ChargeCompletion}. A double
 * [Confirm] returns the same charge.
 */
export class ChargeService {
  readonly provider: PaymentProvider;
  private readonly payments: ChargeCompletion;

  constructor(private readonly deps: ChargeDeps, provider?: PaymentProvider) {
    this.provider = provider ?? paymentProvider(deps.config);
    this.payments = new ChargeCompletion(deps, this.provider);
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
      await this.deps.db.tx((tx) => usableCard(tx, memberId, cardId));
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
    // A named currency decides; a bare number may be either (readings.ts).
    const readings = readingsOf(r.text, r.from, r.to);
    return this.deps.db.tx(async (tx) => {
      const holder = await usableCard(tx, r.memberId, r.cardId);
      const pr = await pairRate(tx, r.from, r.to, config.CHARGE_SAME_CURRENCY_FEE_BPS);
      if (!pr) throw new ChargeError('CHARGE.NO_RATE', `no rate ${r.from}/${r.to}`, { from: r.from, to: r.to });
      if (pr.setAt && now.getTime() - pr.setAt.getTime() > config.RATE_MAX_AGE_HOURS * 3600_000) {
        throw new ChargeError('CHARGE.RATE_STALE', `rate ${r.from}/${r.to} is stale`, { from: r.from, to: r.to });
      }
      const tried: Tried<Priced>[] = [];
      for (const money of readings.list) {
        const priced = priceCharge({ from: r.from, to: r.to, mid: pr.mid, spreadBps: pr.spreadBps, feeBps: pr.feeBps, amount: money.amount, side: sideOf(money, r.to) });
        const refusal = await checkLimits(tx, this.deps.config, r.memberId, r.cardId, r.to, priced.toAmount, r.lang, now).then(() => null, (err: unknown) => {
          if (err instanceof ChargeError) return err;
          throw err;
        });
        tried.push({ money, priced, refusal });
      }
      const d = decide(readings.named, tried);
      const show = (t: Tried<Priced>) => ({ pay: formatMoney(t.priced.fromAmount, r.from, r.lang), get: formatMoney(t.priced.toAmount, r.to, r.lang), typed: typedForm(t.money) });
      if (d.kind === 'refuse') {
        if (!d.fits) throw d.refusal;
        const f = show(d.fits);
        throw new ChargeError(d.refusal.code, d.refusal.message, { ...d.refusal.vars, otherPay: f.pay, otherGet: f.get, otherTyped: f.typed });
      }
      if (d.kind === 'ask') {
        const [a, b] = d.readings.map(show) as [ReturnType<typeof show>, ReturnType<typeof show>];
        const [get, pay] = sideOf(d.readings[0].money, r.to) === 'receive' ? [a, b] : [b, a];
        throw new ChargeError('CHARGE.WHICH_READING', 'a bare number fits both readings', { payPay: pay.pay, payGet: pay.get, payTyped: pay.typed, getPay: get.pay, getGet: get.get, getTyped: get.typed });
      }
      const priced = d.pick.priced;
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
        // The time the quote holds until, in the member's zone and naming it ("14:29 JST").
        expiresText: formatInZone(expiresAt, holder.timeZone ?? config.OPERATOR_TIMEZONE, 'HH:mm'),
        // The number could be read two ways and only this one fits: say which was taken.
        ...(d.taken ? { takenAs: sideOf(d.taken.money, r.to) } : {}),
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
    // Only the quote's own member sees its charge; anyone else learns nothing (as for no quote).
    if (existing && existing.memberId !== i.memberId) throw new ChargeError('CHARGE.QUOTE_NOT_FOUND', 'no such quote');
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
        await usableCard(tx, q.memberId, q.cardId);
        await checkLimits(tx, this.deps.config, q.memberId, q.cardId, q.toCurrency, q.toAmount, i.lang, now);
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
      if (raced && raced.memberId === i.memberId) return this.view(raced, i.lang);
      throw err;
    }
  }

  /**
   * The payment arrived: posts the ledger entry and, in the same transaction, queues the chat
   * notice "Charge completed" and the completion e-mail. Safe to call any number of times.
   */
  complete(chargeId: string, source: string): Promise<CompletionResult> {
    return this.payments.complete(chargeId, source);
  }

  /** A payment provider's event for a charge (the payments webhook); see {@link applyPaymentEvent}. */
  paymentEvent(e: PaymentEvent): Promise<PaymentEventResult> {
    return applyPaymentEvent(this.deps, this, e);
  }

  /**
   * The `confirm-payment` script step: what the provider's webhook would do for the charge with this
   * reference (`paid` or `failed`), late payments held as the webhook holds them.
   */
  async confirmByReference(reference: string, outcome: 'paid' | 'failed'): Promise<PaymentEventResult> {
    const r = await this.paymentEvent({ where: { reference }, event: outcome === 'paid' ? 'payment.succeeded' : 'payment.failed', source: 'script' });
    if (r.outcome === 'not-found') throw new ChargeError('CHARGE.NOT_FOUND', `no charge with reference ${reference}`);
    return r;
  }

  /** The payment failed: the charge is marked failed (no ledger trace) and the cardholder told. */
  fail(chargeId: string, reason: string): Promise<{ status: string; replayed: boolean }> {
    return this.payments.fail(chargeId, reason);
  }

  /** Marks unpaid charges past their expiry as expired and tells each cardholder. */
  expireDue(limit = 100): Promise<number> {
    return this.payments.expireDue(limit);
  }

  /** Completes sandbox charges whose simulated payment is due (scheduled in the database). */
  confirmDueSandbox(limit = 100): Promise<number> {
    return this.payments.confirmDueSandbox(limit);
  }

  /** A charge by id or by reference (`CH-…`), or null. */
  async find(where: { id: string } | { reference: string }): Promise<ChargeRow | null> {
    return this.deps.db.prisma.charge.findUnique({ where: where as { id: string } });
  }

  /** Pending charges of some cards (balance inquiry). */
  async pending(cardIds: string[]): Promise<{ cardId: string; currency: string; amount: bigint }[]> {
    if (!cardIds.length) return [];
    const rows = await this.deps.db.prisma.charge.groupBy({ by: ['cardId', 'toCurrency'], where: { cardId: { in: cardIds }, status: 'pending' }, _sum: { toAmount: true } });
    return rows.map((r) => ({ cardId: r.cardId, currency: r.toCurrency, amount: r._sum.toAmount ?? 0n }));
  }

  private view(c: ChargeRow, lang: MoneyLang): ChargeView {
    return {
      chargeId: c.id, reference: c.reference, status: c.status,
      fromText: formatMoney(c.fromAmount, c.fromCurrency, lang), toText: formatMoney(c.toAmount, c.toCurrency, lang),
      payKey: this.provider.payKey,
      payVars: { reference: c.reference, amount: formatMoney(c.fromAmount, c.fromCurrency, lang), seconds: this.deps.config.SANDBOX_PAYMENT_DELAY_SECONDS, hours: this.deps.config.CHARGE_EXPIRY_HOURS },
    };
  }

  private async staleAlert(tx: Tx, from: string, to: string, now: Date): Promise<void> {
    // One alert per pair per hour is enough for support; every refused quote would flood them.
    const recent = await tx.alert.findFirst({ where: { kind: 'stale-rate', createdAt: { gte: new Date(now.getTime() - 3600_000) }, details: { path: ['pair'], equals: `${from}/${to}` } } });
    if (!recent) await raiseAlert(tx, { kind: 'stale-rate', details: { pair: `${from}/${to}`, maxAgeHours: this.deps.config.RATE_MAX_AGE_HOURS } });
    this.deps.log.warn({ pair: `${from}/${to}` }, 'stale rate: charging in this pair is paused');
  }
}

