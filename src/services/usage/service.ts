import type { Clock } from '../../lib/clock.js';
import { failpoint } from '../../lib/failpoints.js';
import { newId } from '../../lib/ids.js';
import type { Logger } from '../../lib/logger.js';
import type { Database, Tx } from '../../infra/db/database.js';
import { currency, formatMoney, type MoneyLang } from '../../domain/money/index.js';
import { cardAccount, ensureAccounts, operatorAccount, post } from '../ledger/index.js';
import { queueNotice } from '../notices.js';
import { lockCardChain, type LockedCard } from '../cards/chain.js';
import { Gate } from './gate.js';

/** Kinds of card usage the processor reports. */
export type UsageKind = 'purchase' | 'atm' | 'refund';
export const USAGE_KINDS: readonly UsageKind[] = ['purchase', 'atm', 'refund'];

/** One usage as the processor (or the CLI) reports it. */
export interface UsageInput {
  /** The processor's id of the transaction: the idempotency key. */
  processorId: string;
  cardId: string;
  kind: UsageKind;
  /** Minor units of `currency`, positive. */
  amount: bigint;
  currency: string;
  merchant?: string;
}

/** Why a usage was declined. */
export type DeclineReason = 'insufficient-funds' | 'card-frozen' | 'card-closed' | 'card-not-enrolled';

/** The decision. `replayed` when this processor id was seen before (the first decision stands). */
export interface UsageResult {
  usageId: string;
  status: 'approved' | 'declined';
  reason: DeclineReason | null;
  entryId: string | null;
  replayed: boolean;
}

/** Stable codes of usage refusals (bad requests, not declines). */
export class UsageError extends Error {
  constructor(readonly code: 'USAGE.CARD_NOT_FOUND' | 'USAGE.BAD_AMOUNT' | 'USAGE.ID_CONFLICT' | 'USAGE.BAD_KIND', message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Card usage from the processor: purchases and ATM withdrawals are authorised against the card's
 * balance in the transaction's own currency (no conversion) under a row lock on that account;
 * refunds are credited (also on a frozen card, and to the replacement of a replaced card). One ledger entry each, idempotent by processor id,
 * and a chat notice unless the member switched usage notifications off.
 */
export class UsageService {
  private readonly gate: Gate;

  constructor(private readonly deps: { db: Database; clock: Clock; log: Logger; concurrency?: number }) {
    this.gate = new Gate(deps.concurrency ?? 8);
  }

  /** Authorises (or declines) and records one usage. */
  async record(u: UsageInput): Promise<UsageResult> {
    if (!USAGE_KINDS.includes(u.kind)) throw new UsageError('USAGE.BAD_KIND', `kind must be one of ${USAGE_KINDS.join(', ')}`);
    if (u.amount <= 0n) throw new UsageError('USAGE.BAD_AMOUNT', 'amount must be positive');
    const cur = currency(u.currency).code;
    const merchant = u.merchant?.slice(0, 100) ?? null;
    const now = this.deps.clock.now();
    const result = await this.gate.run(() => this.deps.db.tx(async (tx) => {
      const usageId = newId();
      // Claims the processor id; a concurrent duplicate waits here and then sees our decision.
      const claimed = await tx.$queryRawUnsafe<{ id: string }[]>(
        `INSERT INTO "CardUsage" (id, "processorId", "cardId", kind, amount, currency, merchant, status, "createdAt")
         VALUES ($1, $2, $3, $4, $5::bigint, $6, $7, 'processing', ($8::timestamptz AT TIME ZONE 'UTC'))
         ON CONFLICT ("processorId") DO NOTHING RETURNING id`,
        usageId, u.processorId, u.cardId, u.kind, u.amount.toString(), cur, merchant, now.toISOString(),
      );
      if (claimed.length === 0) {
        const prior = await tx.cardUsage.findUniqueOrThrow({ where: { processorId: u.processorId } });
        if (prior.cardId !== u.cardId || prior.kind !== u.kind || prior.amount !== u.amount || prior.currency !== cur) {
          throw new UsageError('USAGE.ID_CONFLICT', `processor id ${u.processorId} was used for a different transaction`);
        }
        return { usageId: prior.id, status: prior.status as UsageResult['status'], reason: prior.reason as DeclineReason | null, entryId: prior.entryId, replayed: true };
      }
      // The card row is locked (FOR SHARE) so a replacement cannot move its balance mid-decision;
      // a refund follows the card's replacements to the card the cardholder holds now.
      const cards = await lockCardChain(tx, { cardId: u.cardId });
      if (!cards) throw new UsageError('USAGE.CARD_NOT_FOUND', `no card ${u.cardId}`);
      const card = u.kind === 'refund' ? cards.current : cards.head;
      let reason: DeclineReason | null = null;
      if (card.status === 'closed') reason = 'card-closed';
      else if (cards.head.status !== 'enrolled' && cards.head.status !== 'closed') reason = 'card-not-enrolled';
      else if (u.kind !== 'refund' && card.frozenBy) reason = 'card-frozen';
      const account = cardAccount(card.id, cur);
      const settlement = operatorAccount('settlement', cur);
      // Everything that can be read is read before the balance lock, so it is held for few statements.
      const accounts = await ensureAccounts(tx, [account, settlement]);
      let balance = 0n;
      if (!reason) {
        // Row lock on the card's account: concurrent usages of this card are decided one at a time.
        const [locked] = await tx.$queryRawUnsafe<{ balance: string }[]>(`SELECT balance::text AS balance FROM "LedgerAccount" WHERE id = $1 FOR NO KEY UPDATE`, accounts.get(account.code)!.id);
        balance = BigInt(locked!.balance);
        if (u.kind !== 'refund' && balance < u.amount) reason = 'insufficient-funds';
      }
      let entryId: string | null = null;
      let after = balance;
      if (!reason) {
        const sign = u.kind === 'refund' ? 1n : -1n;
        const posted = await post(tx, {
          idempotencyKey: `usage:${u.processorId}`,
          kind: u.kind,
          ...(merchant ? { memo: merchant } : {}),
          at: now,
          postings: [
            { account, amount: sign * u.amount },
            { account: settlement, amount: -sign * u.amount },
          ],
        }, { accounts });
        entryId = posted.entryId;
        after = balance + sign * u.amount;
      }
      const status = reason ? 'declined' : 'approved';
      await tx.cardUsage.update({ where: { id: usageId }, data: { status, reason, entryId } });
      // The notice is queued in the same transaction: it is sent exactly when the decision stands.
      await this.notify(tx, u, cur, status, reason, { card, balance: after });
      failpoint('usage.post.before-commit');
      return { usageId, status, reason, entryId, replayed: false } as const;
    }));
    if (!result.replayed) failpoint('usage.post.after-commit');
    this.deps.log.info({ usage: result.usageId, status: result.status, reason: result.reason, replayed: result.replayed }, 'card usage');
    return result as UsageResult;
  }

  private async notify(tx: Tx, u: UsageInput, cur: string, status: string, reason: DeclineReason | null, n: { card: LockedCard; balance: bigint }): Promise<void> {
    if (!n.card.memberId || !n.card.notifyUsage) return;
    const lang = (n.card.language === 'ja' ? 'ja' : 'en') as MoneyLang;
    await queueNotice(tx, {
      memberId: n.card.memberId,
      key: status === 'approved' ? `usage-approved-${u.kind}` : `usage-declined-${reason}`,
      vars: { amount: formatMoney(u.amount, cur, lang), merchant: u.merchant ?? '', hasMerchant: u.merchant ? 'yes' : 'no', last4: n.card.last4, balance: formatMoney(n.balance, cur, lang), kind: u.kind },
    });
  }
}
