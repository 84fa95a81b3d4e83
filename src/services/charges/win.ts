import type { Tx } from '../../infra/db/database.js';
import { lockCardChain } from '../cards/chain.js';

/** What charge completion reads in the statement that wins the charge. */
export interface CompletionRow {
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
  timeZone: string | null;
  linkedChat: string | null;
}

/** The card a completion credits (or would have): locked for the rest of the transaction. */
export interface TargetCard {
  id: string;
  status: string;
  last4: string;
}

// The charge won (pending, unexpired, its card open → completed) and everything completion needs.
const WON = `UPDATE "Charge" SET status = 'completed', "completedAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "paidAt" = ($2::timestamptz AT TIME ZONE 'UTC'),
                  "entryId" = $3, "creditedCardId" = (SELECT id FROM card)
            WHERE id = $1 AND status = 'pending' AND "expiresAt" > ($2::timestamptz AT TIME ZONE 'UTC') AND (SELECT status FROM card) <> 'closed' RETURNING *`;
const READ = `card.id AS "targetId", card.status AS "targetStatus", card.last4 AS "targetLast4", card."replacedById" AS "targetNext",
              w.id, w.reference, w."quoteId", w."memberId", w."cardId", w."chatKey", w."fromCurrency", w."fromAmount"::text AS "fromAmount",
              w."toCurrency", w."toAmount"::text AS "toAmount", w.fee::text AS fee, q."rateId", r.base AS "rateBase", r.rate AS "rateText",
              m.email, m."fullName", m.language, m."timeZone", mc."chatKey" AS "linkedChat"
         FROM card LEFT JOIN won w ON true LEFT JOIN "Quote" q ON q.id = w."quoteId" LEFT JOIN "FxRate" r ON r.id = q."rateId"
         LEFT JOIN "Member" m ON m.id = w."memberId" LEFT JOIN "MemberChat" mc ON mc."memberId" = w."memberId"`;
// Common case, one round trip: lock the charge's own card (FOR SHARE, as cards/chain.ts explains)
// before the update looks at it (an uncommon-path initPlan), win the charge, read what is needed.
const ON_OWN_CARD = `WITH card AS (SELECT c.id, c.status, c.last4, c."replacedById" FROM "Card" c WHERE c.id = (SELECT "cardId" FROM "Charge" WHERE id = $1) FOR SHARE OF c),
  won AS (${WON}) SELECT ${READ}`;
// After following replacements: the newest card ($4) is locked already.
const ON_CARD = `WITH card AS (SELECT c.id, c.status, c.last4, c."replacedById" FROM "Card" c WHERE c.id = $4),
  won AS (${WON}) SELECT ${READ}`;

type Row = Partial<CompletionRow> & { targetId: string; targetStatus: string; targetLast4: string; targetNext: string | null };

/**
 * Locks the card a completion credits and wins the charge for it, in one statement when the card
 * was not replaced; a replaced card's chain is followed (locked oldest first) and the charge won for
 * the newest card. `row` is null when the charge was not won (a replay, or a payment to hold); null
 * altogether when there is no such charge.
 */
export async function winCharge(tx: Tx, chargeId: string, now: Date, entryId: string): Promise<{ row: CompletionRow | null; card: TargetCard } | null> {
  const [first] = await tx.$queryRawUnsafe<Row[]>(ON_OWN_CARD, chargeId, now.toISOString(), entryId);
  if (!first) return null;
  let r = first;
  if (!r.id && r.targetStatus === 'closed' && r.targetNext) {
    const chain = await lockCardChain(tx, { cardId: r.targetNext });
    if (chain) [r] = (await tx.$queryRawUnsafe<Row[]>(ON_CARD, chargeId, now.toISOString(), entryId, chain.current.id)) as [Row];
  }
  const card = { id: r.targetId, status: r.targetStatus, last4: r.targetLast4 };
  return { row: r.id ? (r as CompletionRow) : null, card };
}
