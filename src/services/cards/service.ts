import { newId } from '../../lib/ids.js';
import type { Tx } from '../../infra/db/database.js';
import type { Card } from '../../generated/prisma/client.js';
import { checkCurrency, emailKey, formatExpiry, summary, type Actor, type CardChange, type CardSummary, type CurrentPinResult, type FrozenBy, type InitialPinResult, type IssuedCard, type NewPinResult, type PinMailer, type ReplaceHook } from './model.js';
import { pinProblem } from '../../domain/cards/pin-rules.js';
import { audit } from '../audit.js';
import { CardError } from './errors.js';
import { isCardNumberFor, newCardNumber, newInitialPin } from './numbers.js';
import { CardSecrets } from './secrets.js';
import { CardPins } from './pins.js';
import type { CardsDeps } from './model.js';

export { PIN_MAX_FAILURES } from './pins.js';

/** Cards are valid for this many years after issue (to the end of the month). */
const VALID_YEARS = 5;

/** Card types and helpers live in model.ts; re-exported so callers import from one place. */
export * from './model.js';
export type { CardsDeps } from './model.js';

/**
 * Cards: issuance, enrollment by last 4 + initial PIN, PIN change and locks, freezing, replacement.
 * Keeps only the last 4 digits, a keyed fingerprint of the number and a keyed hash of the PIN.
 */
export class CardsService {
  private readonly secrets: CardSecrets;
  private replaceHook: ReplaceHook | undefined;

  private readonly pins: CardPins;

  constructor(private readonly deps: CardsDeps) {
    this.secrets = new CardSecrets(deps.secret);
    this.pins = new CardPins(deps, this.secrets);
  }

  /** Lets the money side move balances when a card is replaced (one hook; set once at wiring). */
  onReplace(hook: ReplaceHook): void {
    this.replaceHook = hook;
  }

  /** Every card of a member, oldest first (all states; closed ones included). */
  async listCards(memberId: string): Promise<CardSummary[]> {
    const rows = await this.deps.db.prisma.card.findMany({ where: { memberId }, orderBy: { createdAt: 'asc' } });
    return rows.map(summary);
  }

  /** Cards issued to an e-mail address (any state), oldest first. */
  async listByEmail(email: string): Promise<CardSummary[]> {
    const rows = await this.deps.db.prisma.card.findMany({ where: { issuedEmailKey: emailKey(email) }, orderBy: { createdAt: 'asc' } });
    return rows.map(summary);
  }

  /** Every card, newest first (operators). */
  async listAll(limit = 200): Promise<CardSummary[]> {
    const rows = await this.deps.db.prisma.card.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
    return rows.map(summary);
  }

  /** Every card ending in these 4 digits, oldest first (support look-ups). */
  async listByLast4(last4: string): Promise<CardSummary[]> {
    if (!/^\d{4}$/.test(last4)) return [];
    const rows = await this.deps.db.prisma.card.findMany({ where: { last4 }, orderBy: { createdAt: 'asc' } });
    return rows.map(summary);
  }

  /** One card by id. */
  async getCard(id: string): Promise<CardSummary | null> {
    const row = await this.deps.db.prisma.card.findUnique({ where: { id } });
    return row ? summary(row) : null;
  }

  /** A member's own card by id, or null when it is not theirs. */
  async memberCard(memberId: string, cardId: string): Promise<CardSummary | null> {
    const c = await this.getCard(cardId);
    return c && c.memberId === memberId ? c : null;
  }

  /** Finds a card by its full number (the keyed fingerprint; the number is not kept). */
  async findByNumber(pan: string): Promise<CardSummary | null> {
    const row = await this.deps.db.prisma.card.findUnique({ where: { fingerprint: this.secrets.fingerprint(pan) } });
    return row ? summary(row) : null;
  }

  /**
   * Resolves an operator's `--card`: a card id, or last 4 digits matching exactly one card.
   * Throws CARD.NOT_FOUND, or CARD.AMBIGUOUS listing the matches in its one-line message.
   */
  async resolveCard(ref: string): Promise<CardSummary> {
    const r = ref.trim();
    const byId = /^\d{4}$/.test(r) ? null : await this.getCard(r);
    if (byId) return byId;
    if (!/^\d{4}$/.test(r)) throw new CardError('CARD.NOT_FOUND', `no card with id ${r}`);
    const rows = await this.listByLast4(r);
    if (rows.length === 1) return rows[0]!;
    if (rows.length === 0) throw new CardError('CARD.NOT_FOUND', `no card ending in ${r}`);
    const list = rows.map((c) => `${c.id} (${c.status}, ${c.issuedEmailKey})`).join('; ');
    throw new CardError('CARD.AMBIGUOUS', `${rows.length} cards end in ${r}; use the id: ${list}`);
  }

  /**
   * Issues a card to the person with this e-mail (registered or not yet). `forTest` fixes the number
   * and PIN (test canaries only; a real issue always draws them).
   */
  async issue(req: { email: string; currency?: string; actor?: Actor }, forTest?: { pan?: string; pin?: string }): Promise<IssuedCard> {
    const email = req.email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new CardError('CARD.BAD_EMAIL', `not an e-mail address: ${email}`);
    const currency = checkCurrency(req.currency ?? 'JPY');
    return this.deps.db.tx((tx) => this.issueIn(tx, { emailKey: emailKey(email), to: email, currency, actor: req.actor ?? 'cli' }, forTest));
  }

  private async issueIn(tx: Tx, req: { emailKey: string; to: string; currency: string; actor: Actor; replaces?: string }, forTest?: { pan?: string; pin?: string }): Promise<IssuedCard> {
    const bin = this.deps.config.CARD_BIN;
    if (forTest?.pan !== undefined && !isCardNumberFor(bin, forTest.pan)) throw new CardError('CARD.BAD_NUMBER', 'test card number must be 16 Luhn-valid digits under CARD_BIN');
    if (forTest?.pin !== undefined && pinProblem(forTest.pin) !== null) throw new CardError('CARD.BAD_PIN', 'test PIN must pass the PIN rules');
    const id = newId();
    const pin = forTest?.pin ?? newInitialPin();
    const now = this.deps.clock.now();
    const expiryMonth = now.getUTCMonth() + 1;
    const expiryYear = now.getUTCFullYear() + VALID_YEARS;
    let pan = forTest?.pan ?? newCardNumber(bin);
    // A fresh number that collides with an existing one (1 in 10^9 per card) is simply drawn again.
    for (let i = 0; !forTest?.pan && i < 5 && (await tx.card.findUnique({ where: { fingerprint: this.secrets.fingerprint(pan) }, select: { id: true } })); i++) pan = newCardNumber(bin);
    const member = await tx.member.findUnique({ where: { emailKey: req.emailKey }, select: { fullName: true, email: true } });
    const row = await tx.card.create({
      data: {
        id,
        issuedEmailKey: req.emailKey,
        last4: pan.slice(-4),
        fingerprint: this.secrets.fingerprint(pan),
        expiryMonth,
        expiryYear,
        currency: req.currency,
        pinHash: this.secrets.hashPin(id, pin),
        createdAt: now,
      },
    });
    await audit(tx, { actor: req.actor, action: req.replaces ? 'card.replace' : 'card.issue', target: id, details: { last4: row.last4, currency: req.currency, ...(req.replaces ? { replaces: req.replaces } : {}) } });
    const expiry = formatExpiry(expiryMonth, expiryYear);
    return {
      card: summary(row),
      embossing: { cardId: id, pan, expiry, name: member?.fullName ?? null, currency: req.currency },
      pinMailer: { cardId: id, to: member?.email ?? req.to, last4: row.last4, expiry, initialPin: pin },
    };
  }

  /** A new initial PIN for a card (forgotten PIN): clears the PIN lock; prints a new mailer. */
  async reissuePin(cardId: string, actor: Actor = 'cli'): Promise<PinMailer> {
    return this.deps.db.tx(async (tx) => {
      const card = await tx.card.findUnique({ where: { id: cardId } });
      if (!card) throw new CardError('CARD.NOT_FOUND', `no card with id ${cardId}`);
      if (card.status === 'closed') throw new CardError('CARD.CLOSED', `card ${cardId} is closed`);
      const pin = newInitialPin();
      await tx.card.update({ where: { id: cardId }, data: { pinHash: this.secrets.hashPin(cardId, pin), pinFailures: 0, pinLocked: false } });
      await audit(tx, { actor, action: 'card.reissue-pin', target: cardId, details: { last4: card.last4, wasLocked: card.pinLocked } });
      const member = card.memberId ? await tx.member.findUnique({ where: { id: card.memberId }, select: { email: true } }) : null;
      return { cardId, to: member?.email ?? card.issuedEmailKey, last4: card.last4, expiry: formatExpiry(card.expiryMonth, card.expiryYear), initialPin: pin };
    });
  }

  /**
   * Replaces a lost or damaged card: closes it and issues a new one (new number and PIN) to the same
   * person in one transaction; the replace hook moves balances in the same transaction. The new card
   * is enrolled again with its own mailer.
   */
  async replace(cardId: string, actor: Actor = 'cli'): Promise<IssuedCard & { replaced: string }> {
    return this.deps.db.tx(async (tx) => {
      // Locked first: money paths hold the card FOR SHARE (see cards/chain.ts), so a completion or a
      // refund either finishes before the replacement or waits for it and follows it to the new card.
      await tx.$queryRawUnsafe(`SELECT id FROM "Card" WHERE id = $1 FOR NO KEY UPDATE`, cardId);
      const old = await tx.card.findUnique({ where: { id: cardId } });
      if (!old) throw new CardError('CARD.NOT_FOUND', `no card with id ${cardId}`);
      if (old.status === 'closed') throw new CardError('CARD.CLOSED', `card ${cardId} is already closed`);
      const member = old.memberId ? await tx.member.findUnique({ where: { id: old.memberId }, select: { email: true } }) : null;
      const issued = await this.issueIn(tx, { emailKey: old.issuedEmailKey, to: member?.email ?? old.issuedEmailKey, currency: old.currency, actor, replaces: old.id });
      const closed = await tx.card.updateMany({ where: { id: old.id, status: { not: 'closed' } }, data: { status: 'closed', closedAt: this.deps.clock.now(), replacedById: issued.card.id } });
      if (closed.count !== 1) throw new CardError('CARD.CLOSED', `card ${cardId} is already closed`);
      await this.replaceHook?.(tx, { oldCardId: old.id, newCardId: issued.card.id, actor });
      return { ...issued, replaced: old.id };
    });
  }

  /** Card Registration, step "initial PIN" (see {@link CardPins.checkInitialPin}). */
  checkInitialPin(memberId: string, last4: string, pin: string): Promise<InitialPinResult> {
    return this.pins.checkInitialPin(memberId, last4, pin);
  }

  /** Card Registration, step [ENROLL] (see {@link CardPins.enroll}). */
  enroll(memberId: string, cardId: string, proof: string): Promise<{ ok: true; last4: string } | { ok: false; reason: 'no-match' | 'expired' }> {
    return this.pins.enroll(memberId, cardId, proof);
  }

  /** PIN change, step "current PIN" (see {@link CardPins.verifyCurrentPin}). */
  verifyCurrentPin(memberId: string, cardId: string, pin: string): Promise<CurrentPinResult> {
    return this.pins.verifyCurrentPin(memberId, cardId, pin);
  }

  /** PIN change, first typing of the new PIN (see {@link CardPins.prepareNewPin}). */
  prepareNewPin(memberId: string, cardId: string, proof: string, pin: string): Promise<NewPinResult> {
    return this.pins.prepareNewPin(memberId, cardId, proof, pin);
  }

  /** PIN change, second typing (see {@link CardPins.changePin}). */
  changePin(memberId: string, cardId: string, proof: string, pending: string, confirm: string): Promise<{ ok: true } | { ok: false; reason: 'mismatch' | 'expired' }> {
    return this.pins.changePin(memberId, cardId, proof, pending, confirm);
  }

  /** Support: clears a PIN lock (the cardholder's PIN stays as it was). */
  resetPinLock(cardId: string, actor: Actor): Promise<CardSummary> {
    return this.pins.resetPinLock(cardId, actor);
  }

  /** {@link resetPinLock} inside the caller's transaction, which writes its own audit row. */
  resetPinLockIn(tx: Tx, cardId: string): Promise<CardChange> {
    return this.pins.resetPinLockIn(tx, cardId);
  }

  /**
   * Freezes a card. A cardholder may freeze only their own enrolled card; a support freeze replaces
   * a cardholder's (so the cardholder can no longer lift it).
   */
  async freeze(cardId: string, by: FrozenBy, who: { memberId?: string; actor: Actor }): Promise<CardSummary> {
    return this.deps.db.tx(async (tx) => {
      const r = await this.freezeIn(tx, cardId, by, who.memberId);
      if (r.changed) await audit(tx, { actor: who.actor, action: 'card.freeze', target: cardId, details: { last4: r.card.last4, by } });
      return r.card;
    });
  }

  /** {@link freeze} inside the caller's transaction, which writes its own audit row. */
  async freezeIn(tx: Tx, cardId: string, by: FrozenBy, memberId?: string): Promise<CardChange> {
    const card = await this.ownedOrSupport(tx, cardId, by, memberId);
    if (card.frozenBy === 'support' || card.frozenBy === by) return { before: summary(card), card: summary(card), changed: false };
    const row = await tx.card.update({ where: { id: cardId }, data: { frozenBy: by } });
    return { before: summary(card), card: summary(row), changed: true };
  }

  /** Lifts a freeze. A cardholder cannot lift a support freeze (CARD.NOT_ALLOWED). */
  async unfreeze(cardId: string, by: FrozenBy, who: { memberId?: string; actor: Actor }): Promise<CardSummary> {
    return this.deps.db.tx(async (tx) => {
      const r = await this.unfreezeIn(tx, cardId, by, who.memberId);
      if (r.changed) await audit(tx, { actor: who.actor, action: 'card.unfreeze', target: cardId, details: { last4: r.card.last4, by } });
      return r.card;
    });
  }

  /** {@link unfreeze} inside the caller's transaction, which writes its own audit row. */
  async unfreezeIn(tx: Tx, cardId: string, by: FrozenBy, memberId?: string): Promise<CardChange> {
    const card = await this.ownedOrSupport(tx, cardId, by, memberId);
    if (!card.frozenBy) return { before: summary(card), card: summary(card), changed: false };
    if (card.frozenBy === 'support' && by !== 'support') throw new CardError('CARD.NOT_ALLOWED', 'this card was frozen by support');
    const row = await tx.card.update({ where: { id: cardId }, data: { frozenBy: null } });
    return { before: summary(card), card: summary(row), changed: true };
  }

  private async ownedOrSupport(tx: Tx, cardId: string, by: FrozenBy, memberId?: string): Promise<Card> {
    const card = await tx.card.findUnique({ where: { id: cardId } });
    if (!card || (by === 'cardholder' && (card.memberId !== memberId || !memberId))) throw new CardError('CARD.NOT_FOUND', 'no such card');
    if (card.status === 'closed') throw new CardError('CARD.CLOSED', 'the card is closed');
    return card;
  }
}
