/** What the cards service hands out and takes in: card summaries, mailers, results, its dependencies. No I/O. */
import type { Card } from '../../generated/prisma/client.js';
import type { PinProblem } from '../../domain/cards/pin-rules.js';
import type { Database, Tx } from '../../infra/db/database.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { CardError } from './errors.js';

/** A card's lifecycle state. */
export type CardStatus = 'issued' | 'enrolled' | 'closed';
/** Who froze a card: the cardholder can lift only their own freeze. */
export type FrozenBy = 'cardholder' | 'support';

/** What anyone but the issuing run may see of a card (no number, no PIN). */
export interface CardSummary {
  id: string;
  memberId: string | null;
  issuedEmailKey: string;
  last4: string;
  currency: string;
  status: CardStatus;
  frozen: boolean;
  frozenBy: FrozenBy | null;
  pinLocked: boolean;
  expiryMonth: number;
  expiryYear: number;
  replacedById: string | null;
  createdAt: Date;
  enrolledAt: Date | null;
  closedAt: Date | null;
}

/** What a support action did to a card: the card before and after, and whether anything changed. */
export interface CardChange {
  before: CardSummary;
  card: CardSummary;
  changed: boolean;
}

/** The printed output of an issue: the only place the full number and PIN ever appear. */
export interface IssuedCard {
  card: CardSummary;
  /** For the card maker. */
  embossing: { cardId: string; pan: string; expiry: string; name: string | null; currency: string };
  /** For the envelope to the cardholder. */
  pinMailer: PinMailer;
}

/** The paper mailer: last 4, expiry and the initial PIN. */
export interface PinMailer {
  cardId: string;
  to: string;
  last4: string;
  expiry: string;
  initialPin: string;
}

/** Who did something, for the audit log (`cli`, `support:U123`, `member:<id>`). */
export type Actor = string;

/**
 * Called inside the replacement's transaction, after the new card exists and the old one is closed:
 * the money side moves the old card's balances to the new card there (one ledger entry).
 */
export type ReplaceHook = (tx: Tx, move: { oldCardId: string; newCardId: string; actor: Actor }) => Promise<void>;

/** Result of the initial-PIN check in Card Registration. */
export type InitialPinResult = { ok: true; cardId: string; last4: string; proof: string } | { ok: false; reason: 'no-match' | 'locked' };
/** Result of checking a current PIN (PIN change). */
export type CurrentPinResult = { ok: true; proof: string } | { ok: false; reason: 'wrong' | 'locked' | 'no-card'; attemptsLeft?: number };
/** Result of a first typing of a new PIN. */
export type NewPinResult = { ok: true; pending: string } | { ok: false; reason: PinProblem | 'same' | 'expired' };

/** The case-insensitive key cards are issued under (same as `Member.emailKey`). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** MM/YY as embossed. */
export function formatExpiry(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
}

/** An ISO 4217 code in upper case, or CARD.BAD_CURRENCY. */
export function checkCurrency(code: string): string {
  const c = code.trim().toUpperCase();
  const known = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency');
  if (!/^[A-Z]{3}$/.test(c) || !known.includes(c)) throw new CardError('CARD.BAD_CURRENCY', `not an ISO 4217 currency code: ${code}`);
  return c;
}

/** A card row as the rest of the program may see it. */
export function summary(c: Card): CardSummary {
  return {
    id: c.id,
    memberId: c.memberId,
    issuedEmailKey: c.issuedEmailKey,
    last4: c.last4,
    currency: c.currency,
    status: c.status as CardStatus,
    frozen: c.frozenBy !== null,
    frozenBy: c.frozenBy as FrozenBy | null,
    pinLocked: c.pinLocked,
    expiryMonth: c.expiryMonth,
    expiryYear: c.expiryYear,
    replacedById: c.replacedById,
    createdAt: c.createdAt,
    enrolledAt: c.enrolledAt,
    closedAt: c.closedAt,
  };
}

/** What the cards service needs. */
export interface CardsDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  secret: string;
  config: { CARD_BIN: string };
}
