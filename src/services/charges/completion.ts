import type { Tx } from '../../infra/db/database.js';
import { failpoint } from '../../lib/failpoints.js';
import { newId } from '../../lib/ids.js';
import { holdPayment, LATE_FROM, type HeldReason } from './held.js';
import { chargeNoticeTarget, memberLang } from './notify.js';
import { winCharge, type TargetCard } from './win.js';
import { formatMoney, type MoneyLang } from '../../domain/money/index.js';
import { post, type AccountRow } from '../ledger/index.js';
import { raiseAlert } from '../alerts.js';
import { kickMail } from '../mail/runner.js';
import { queueNotice } from '../notices.js';
import { ChargeError } from './errors.js';
import { chargeCompletedMail } from './mail.js';
import { chargePostings, spreadAt } from './postings.js';
import type { PaymentProvider } from './provider.js';
import type { ChargeDeps } from './types.js';

/**
 * The payment side of charges: completion when the payment arrives (ledger entry + chat notice +
 * e-mail in one transaction), failure, expiry, and the sandbox's simulated payments. Idempotent:
 * a replayed webhook or a crash and retry never charge twice (the ledger key is `charge:<quoteId>`).
 */
export class ChargeCompletion {
  /** Ledger accounts by code, as committed (ids are permanent), to save a lookup per completion. */
  private readonly accounts = new Map<string, AccountRow>();

  constructor(private readonly deps: ChargeDeps, private readonly provider: PaymentProvider) {}

  /**
   * The payment arrived: posts the ledger entry and, in the same transaction, queues the chat
   * notice "Charge completed" and the completion e-mail. The money goes to the charge's card or,
   * when it was replaced, to its replacement (the cards are locked, see cards/chain.ts). A payment
   * that cannot be applied is held for support instead (`status: 'held'`): the charge had expired
   * or failed, or its card is closed with no replacement. Safe to call any number of times.
   */
  async complete(chargeId: string, source: string): Promise<CompletionResult> {
    const now = this.deps.clock.now();
    const entryId = newId();
    const done = await this.deps.db.tx(async (tx) => {
      const won = await winCharge(tx, chargeId, now, entryId);
      if (!won) throw new ChargeError('CHARGE.NOT_FOUND', `no charge ${chargeId}`);
      const { row: c, card: target } = won;
      if (!c) return this.notWon(tx, chargeId, target, source, now);
      const charge = { cardId: target.id, fromCurrency: c.fromCurrency, fromAmount: BigInt(c.fromAmount), toCurrency: c.toCurrency, toAmount: BigInt(c.toAmount), fee: BigInt(c.fee) };
      const spread = c.rateText && c.rateBase ? spreadAt(charge, c.rateBase, c.rateText) : 0n;
      const lang = (c.language === 'ja' ? 'ja' : 'en') as MoneyLang;
      const vars = { reference: c.reference, amount: formatMoney(charge.toAmount, c.toCurrency, lang), paid: formatMoney(charge.fromAmount, c.fromCurrency, lang), last4: target.last4 };
      // Notice and e-mail first; the ledger (hot operator rows) last, right before the commit.
      const chat = c.linkedChat || !c.chatKey ? { memberId: c.memberId } : { chatKey: c.chatKey };
      const mail = chargeCompletedMail({ to: c.email, fullName: c.fullName, lang, ...vars, fee: formatMoney(charge.fee, c.fromCurrency, lang), at: now, zone: c.timeZone ?? this.deps.config.OPERATOR_TIMEZONE });
      // The rows queueNotice and enqueueMail write, in one round trip (completion is the hot path).
      await tx.$executeRawUnsafe(
        `WITH n AS (INSERT INTO "ChatNotice" (id, "memberId", "chatKey", key, vars) VALUES ($1, $2, $3, 'charge-completed', $4::jsonb))
         INSERT INTO "Outbox" (id, "to", subject, text, html, template) VALUES ($5, $6, $7, $8, $9, $10)`,
        newId(), 'memberId' in chat ? chat.memberId : null, 'chatKey' in chat ? chat.chatKey : null, JSON.stringify(vars),
        newId(), mail.to, mail.subject, mail.text, mail.html ?? null, mail.template,
      );
      // Support sees a charge over ALERT_CHARGE_OVER (per card currency) in the Slack channel.
      const over = this.deps.config.ALERT_CHARGE_OVER.get(c.toCurrency);
      if (over !== undefined && charge.toAmount > over) await raiseAlert(tx, { kind: 'large-charge', memberId: c.memberId, cardId: c.cardId, details: { reference: c.reference, amount: formatMoney(charge.toAmount, c.toCurrency), paid: formatMoney(charge.fromAmount, c.fromCurrency), over: formatMoney(over, c.toCurrency) } });
      const legs = chargePostings(charge, spread);
      const known = legs.every((l) => this.accounts.has(l.account.code)) ? this.accounts : undefined;
      const posted = await post(tx, { id: entryId, idempotencyKey: `charge:${c.quoteId}`, kind: 'charge', memo: c.reference, at: now, postings: legs }, known ? { accounts: known } : {});
      if (posted.entryId !== entryId) throw new Error(`charge ${c.id}: ledger key already used by entry ${posted.entryId}`);
      failpoint('charge.complete.before-commit');
      return { status: 'completed', replayed: false, entryId, id: c.id, accounts: posted.accounts, credited: target.id, reason: undefined };
    });
    failpoint('charge.complete.after-commit');
    // Account rows never change once created; remember them only after they are committed.
    if (!done.replayed && done.accounts) {
      if (this.accounts.size > 10_000) this.accounts.clear();
      for (const [code, row] of done.accounts) this.accounts.set(code, row);
    }
    if (done.status === 'completed' && !done.replayed) {
      this.deps.log.info({ charge: chargeId, entry: entryId, card: done.credited, source }, 'charge completed');
      // The e-mail was committed with the entry: let a running outbox sender take it now.
      kickMail();
    }
    return { status: done.status, replayed: done.replayed, ...(done.reason ? { reason: done.reason } : {}) };
  }

  /** The charge was not won: a replay, or a payment that must be held for support. */
  private async notWon(tx: Tx, chargeId: string, card: TargetCard, source: string, now: Date): Promise<NotWon> {
    const c = await tx.charge.findUnique({ where: { id: chargeId } });
    if (!c) throw new ChargeError('CHARGE.NOT_FOUND', `no charge ${chargeId}`);
    if (!LATE_FROM.includes(c.status)) return { status: c.status, replayed: true, ...(c.status === 'held' && c.heldReason ? { reason: c.heldReason } : {}) };
    const unexpired = c.status === 'pending' && c.expiresAt.getTime() > now.getTime();
    const reason: HeldReason = unexpired ? 'card-closed' : 'late';
    await holdPayment(tx, this.deps.log, c, { reason, card, source, now });
    return { status: 'held', replayed: false, reason };
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

  private async close(chargeId: string, status: 'failed' | 'expired', key: string, reason: string) {
    const now = this.deps.clock.now();
    return this.deps.db.tx(async (tx) => {
      const won = await tx.charge.updateMany({ where: { id: chargeId, status: 'pending' }, data: { status, failReason: reason.slice(0, 200) } });
      const c = await tx.charge.findUnique({ where: { id: chargeId } });
      if (!c) throw new ChargeError('CHARGE.NOT_FOUND', `no charge ${chargeId}`);
      if (won.count === 0) return { status: c.status, replayed: true };
      const lang = await memberLang(tx, c.memberId);
      await queueNotice(tx, { ...(await chargeNoticeTarget(tx, c)), key, vars: { reference: c.reference, amount: formatMoney(c.toAmount, c.toCurrency, lang) } });
      this.deps.log.info({ charge: c.id, status, at: now.toISOString() }, 'charge closed');
      return { status, replayed: false };
    });
  }
}

/** What a completion answers: `reason` says why a `held` payment is held. */
export interface CompletionResult {
  status: string;
  replayed: boolean;
  reason?: string;
}

/** What a completion that did not win the charge answers. */
interface NotWon extends CompletionResult {
  accounts?: undefined;
  credited?: undefined;
}
