import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The keyed hashes that let us keep no card secret in clear.
 *
 * Why a keyed HMAC and not argon2 for PINs: a PIN has only 10,000 values, so any hash that can be
 * recomputed from what the database holds — argon2 included, salt and all — falls to an offline
 * search in seconds once a copy of the database leaks. What keeps that search impossible is a key
 * the database does not hold: APP_SECRET. HMAC-SHA256 with a key derived from it (and the card id
 * mixed in, so equal PINs on two cards hash differently) is the whole protection, and it is cheap
 * enough to check in a chat turn. Online guessing is stopped separately by the 3-try PIN lock.
 * Card numbers get the same treatment (about 10^9 possible numbers under a known BIN).
 */
export class CardSecrets {
  private readonly pinKey: Buffer;
  private readonly numberKey: Buffer;
  private readonly proofKey: Buffer;

  constructor(appSecret: string) {
    const derive = (label: string) => createHmac('sha256', appSecret).update(`omnipay/cards/${label}/v1`).digest();
    this.pinKey = derive('pin');
    this.numberKey = derive('number');
    this.proofKey = derive('proof');
  }

  /** Keyed fingerprint of a full card number: finds a card by number without storing it. */
  fingerprint(pan: string): string {
    return createHmac('sha256', this.numberKey).update(pan).digest('hex');
  }

  /** The stored form of a card's PIN. */
  hashPin(cardId: string, pin: string): string {
    return 'h1:' + createHmac('sha256', this.pinKey).update(`${cardId}:${pin}`).digest('hex');
  }

  /** Does `pin` match the stored hash (constant time)? */
  verifyPin(cardId: string, pin: string, stored: string): boolean {
    return safeEqual(this.hashPin(cardId, pin), stored);
  }

  /**
   * A short-lived token saying "this member proved the PIN of this card" (held in the conversation
   * instead of the PIN). It binds the card's PIN hash at the time, so it dies when the PIN changes.
   */
  proof(purpose: string, cardId: string, memberId: string, pinHash: string, expiresAt: number): string {
    return `${expiresAt}.${this.mac(`${purpose}:${cardId}:${memberId}:${pinHash}:${expiresAt}`)}`;
  }

  /** Checks a {@link proof} against the card's current PIN hash and the clock. */
  checkProof(proof: string, purpose: string, cardId: string, memberId: string, pinHash: string, now: number): boolean {
    const [exp, mac] = proof.split('.');
    const expiresAt = Number(exp);
    if (!mac || !Number.isSafeInteger(expiresAt) || expiresAt < now) return false;
    return safeEqual(mac, this.mac(`${purpose}:${cardId}:${memberId}:${pinHash}:${expiresAt}`));
  }

  /**
   * A keyed digest of a new PIN typed once, so the conversation can compare the second typing with
   * the first without keeping either (tied to the proof, so it is useless anywhere else).
   */
  pendingPin(cardId: string, proof: string, pin: string): string {
    return this.mac(`pending:${cardId}:${proof}:${pin}`);
  }

  private mac(text: string): string {
    return createHmac('sha256', this.proofKey).update(text).digest('hex');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
