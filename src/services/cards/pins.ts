import type { Card } from '../../generated/prisma/client.js';
import type { Tx } from '../../infra/db/database.js';
import { pinProblem } from '../../domain/cards/pin-rules.js';
import { raiseAlert } from '../alerts.js';
import { audit } from '../audit.js';
import { enqueueMail } from '../mail/outbox.js';
import { CardError } from './errors.js';
import { cardMail } from './mails.js';
import { summary, type Actor, type CardChange, type CardsDeps, type CardSummary, type CurrentPinResult, type InitialPinResult, type NewPinResult } from './model.js';
import type { CardSecrets } from './secrets.js';


/** Wrong PINs in a row (initial or current) before a card's PIN locks until support resets it. */
export const PIN_MAX_FAILURES = 3;
/** How long a proved PIN stays good for the next step of a conversation. */
const PROOF_TTL_MS = 15 * 60_000;

/**
 * PINs: the initial PIN that proves a card at enrollment, the current PIN before a change, the new
 * PIN twice, and the lock after {@link PIN_MAX_FAILURES} wrong ones (support resets it).
 */
export class CardPins {
  constructor(private readonly deps: CardsDeps, private readonly secrets: CardSecrets) {}

  /**
   * Card Registration, step "initial PIN": finds this member's not-yet-enrolled cards ending in
   * `last4` that were issued to the member's e-mail and checks the PIN. One generic failure for "no
   * such card" and "wrong PIN"; wrong PINs count, and the third locks the card's PIN (alert).
   */
  async checkInitialPin(memberId: string, last4: string, pin: string): Promise<InitialPinResult> {
    return this.deps.db.tx(async (tx) => {
      const member = await tx.member.findUnique({ where: { id: memberId }, select: { emailKey: true, status: true } });
      if (!member || member.status !== 'active') return { ok: false, reason: 'no-match' } as const;
      const candidates = await tx.card.findMany({ where: { issuedEmailKey: member.emailKey, last4, status: 'issued', memberId: null } });
      if (!candidates.length) return { ok: false, reason: 'no-match' } as const;
      // Count first: each card open to a guess spends a try before the PIN is compared, so a burst
      // of concurrent guesses gets no more comparisons than the lock allows.
      const open = await this.spendTries(tx, candidates.map((c) => c.id));
      if (!open.length) return { ok: false, reason: 'locked' } as const;
      const hit = candidates.find((c) => open.some((o) => o.id === c.id) && this.secrets.verifyPin(c.id, pin, c.pinHash));
      if (hit) {
        await tx.card.update({ where: { id: hit.id }, data: { pinFailures: 0 } });
        // The other cards did not meet a wrong PIN: their tries are given back.
        const others = open.filter((o) => o.id !== hit.id).map((o) => o.id);
        if (others.length) await tx.card.updateMany({ where: { id: { in: others }, pinFailures: { gt: 0 } }, data: { pinFailures: { decrement: 1 } } });
        return { ok: true, cardId: hit.id, last4: hit.last4, proof: this.secrets.proof('enroll', hit.id, memberId, hit.pinHash, this.now() + PROOF_TTL_MS) } as const;
      }
      let locked = false;
      for (const o of open) locked = (await this.lockIfSpent(tx, candidates.find((c) => c.id === o.id)!, o.pinFailures, memberId)) || locked;
      return { ok: false, reason: locked ? 'locked' : 'no-match' } as const;
    });
  }

  /**
   * Card Registration, step [ENROLL]: ties the card to the member. A conditional update, so of two
   * concurrent enrollments of one card exactly one wins. Queues the "card enrolled" e-mail.
   */
  async enroll(memberId: string, cardId: string, proof: string): Promise<{ ok: true; last4: string } | { ok: false; reason: 'no-match' | 'expired' }> {
    return this.deps.db.tx(async (tx) => {
      const member = await tx.member.findUnique({ where: { id: memberId } });
      const card = await tx.card.findUnique({ where: { id: cardId } });
      if (!member || member.status !== 'active' || !card || card.issuedEmailKey !== member.emailKey) return { ok: false, reason: 'no-match' } as const;
      if (!this.secrets.checkProof(proof, 'enroll', cardId, memberId, card.pinHash, this.now())) return { ok: false, reason: 'expired' } as const;
      const now = this.deps.clock.now();
      const won = await tx.card.updateMany({
        where: { id: cardId, status: 'issued', memberId: null, pinLocked: false, pinHash: card.pinHash },
        data: { status: 'enrolled', memberId, enrolledAt: now },
      });
      if (won.count !== 1) return { ok: false, reason: 'no-match' } as const;
      await audit(tx, { actor: `member:${memberId}`, action: 'card.enroll', target: cardId, details: { last4: card.last4 } });
      await enqueueMail(tx, cardMail('card-enrolled', member.email, member.language, { name: member.fullName, last4: card.last4 }));
      return { ok: true, last4: card.last4 } as const;
    });
  }

  /** PIN change, step "current PIN": checks it on the member's enrolled card; 3 wrong lock it. */
  async verifyCurrentPin(memberId: string, cardId: string, pin: string): Promise<CurrentPinResult> {
    return this.deps.db.tx(async (tx) => {
      const card = await tx.card.findUnique({ where: { id: cardId } });
      if (!card || card.memberId !== memberId || card.status !== 'enrolled') return { ok: false, reason: 'no-card' } as const;
      if (card.pinLocked) return { ok: false, reason: 'locked' } as const;
      const [spent] = await this.spendTries(tx, [card.id]);
      if (!spent) return { ok: false, reason: 'locked' } as const;
      if (this.secrets.verifyPin(card.id, pin, card.pinHash)) {
        await tx.card.update({ where: { id: card.id }, data: { pinFailures: 0 } });
        return { ok: true, proof: this.secrets.proof('pin-change', card.id, memberId, card.pinHash, this.now() + PROOF_TTL_MS) } as const;
      }
      if (await this.lockIfSpent(tx, card, spent.pinFailures, memberId)) return { ok: false, reason: 'locked' } as const;
      return { ok: false, reason: 'wrong', attemptsLeft: Math.max(0, PIN_MAX_FAILURES - spent.pinFailures) } as const;
    });
  }

  /** PIN change, first typing of the new PIN: the rules, and "not the current PIN". */
  async prepareNewPin(memberId: string, cardId: string, proof: string, pin: string): Promise<NewPinResult> {
    const problem = pinProblem(pin);
    if (problem) return { ok: false, reason: problem };
    const card = await this.deps.db.prisma.card.findUnique({ where: { id: cardId } });
    if (!card || card.memberId !== memberId || !this.secrets.checkProof(proof, 'pin-change', cardId, memberId, card.pinHash, this.now())) return { ok: false, reason: 'expired' };
    if (this.secrets.verifyPin(cardId, pin, card.pinHash)) return { ok: false, reason: 'same' };
    return { ok: true, pending: this.secrets.pendingPin(cardId, proof, pin) };
  }

  /** PIN change, second typing: must equal the first; stores the new hash and queues the e-mail. */
  async changePin(memberId: string, cardId: string, proof: string, pending: string, confirm: string): Promise<{ ok: true } | { ok: false; reason: 'mismatch' | 'expired' }> {
    if (this.secrets.pendingPin(cardId, proof, confirm) !== pending) return { ok: false, reason: 'mismatch' };
    return this.deps.db.tx(async (tx) => {
      const card = await tx.card.findUnique({ where: { id: cardId } });
      const member = await tx.member.findUnique({ where: { id: memberId } });
      if (!card || !member || card.memberId !== memberId || card.status !== 'enrolled' || card.pinLocked) return { ok: false, reason: 'expired' } as const;
      if (!this.secrets.checkProof(proof, 'pin-change', cardId, memberId, card.pinHash, this.now())) return { ok: false, reason: 'expired' } as const;
      // Conditional on the old hash: a PIN changed meanwhile (another chat, a reissue) wins.
      const done = await tx.card.updateMany({ where: { id: cardId, pinHash: card.pinHash }, data: { pinHash: this.secrets.hashPin(cardId, confirm), pinFailures: 0 } });
      if (done.count !== 1) return { ok: false, reason: 'expired' } as const;
      await audit(tx, { actor: `member:${memberId}`, action: 'card.pin-change', target: cardId, details: { last4: card.last4 } });
      await enqueueMail(tx, cardMail('pin-changed', member.email, member.language, { name: member.fullName, last4: card.last4 }));
      return { ok: true } as const;
    });
  }

  /** Support: clears a PIN lock (the cardholder's PIN stays as it was). */
  async resetPinLock(cardId: string, actor: Actor): Promise<CardSummary> {
    return this.deps.db.tx(async (tx) => {
      const r = await this.resetPinLockIn(tx, cardId);
      await audit(tx, { actor, action: 'card.pin-unlock', target: cardId, details: { last4: r.card.last4, wasLocked: r.before.pinLocked } });
      return r.card;
    });
  }

  /** {@link resetPinLock} inside the caller's transaction, which writes its own audit row. */
  async resetPinLockIn(tx: Tx, cardId: string): Promise<CardChange> {
    const card = await tx.card.findUnique({ where: { id: cardId } });
    if (!card) throw new CardError('CARD.NOT_FOUND', `no card with id ${cardId}`);
    const row = await tx.card.update({ where: { id: cardId }, data: { pinLocked: false, pinFailures: 0 } });
    return { before: summary(card), card: summary(row), changed: card.pinLocked || card.pinFailures > 0 };
  }

  /**
   * Spends one PIN try of each card that has one left (not locked, fewer than the limit): one
   * `UPDATE … SET pinFailures = pinFailures + 1 WHERE pinFailures < max RETURNING`, which concurrent
   * guesses queue on. Returns the cards that gave a try, with their count after it.
   */
  private spendTries(tx: Tx, cardIds: string[]): Promise<{ id: string; pinFailures: number }[]> {
    return tx.card.updateManyAndReturn({
      where: { id: { in: cardIds }, pinLocked: false, pinFailures: { lt: PIN_MAX_FAILURES } },
      data: { pinFailures: { increment: 1 } },
      select: { id: true, pinFailures: true },
    });
  }

  /** After a wrong PIN that spent the last try, locks the PIN and alerts support. True if locked now. */
  private async lockIfSpent(tx: Tx, card: Card, failures: number, memberId: string): Promise<boolean> {
    if (failures < PIN_MAX_FAILURES) return false;
    // Only the attempt that flips the flag raises the alert.
    const flipped = await tx.card.updateMany({ where: { id: card.id, pinLocked: false }, data: { pinLocked: true } });
    if (flipped.count !== 1) return true;
    await raiseAlert(tx, { kind: 'pin-lock', memberId, cardId: card.id, details: { last4: card.last4, failures } });
    this.deps.log.warn({ card: card.id, last4: card.last4 }, 'card PIN locked after wrong PINs');
    return true;
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
