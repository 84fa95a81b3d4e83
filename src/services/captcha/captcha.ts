import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../../infra/db/database.js';
import type { StateStore } from '../../infra/store/store.js';
import { raiseAlert } from '../alerts.js';
import { drawCaptcha, randomCaptchaText } from './image.js';

/** CAPTCHA policy: how long an image is valid, how many wrong answers in a row pause a chat, for how long. */
export interface CaptchaPolicy {
  ttlMs: number;
  maxFailures: number;
  pauseMs: number;
}

/** The defaults: 5 minutes to answer; 5 wrong answers in a row pause the chat for 5 minutes. */
export const DEFAULT_CAPTCHA_POLICY: CaptchaPolicy = { ttlMs: 5 * 60_000, maxFailures: 5, pauseMs: 5 * 60_000 };

/** A new CAPTCHA for a chat (PNG as base64, so it can travel in a reply), or why there is none. */
export type NewCaptcha = { kind: 'image'; png: string; terminal: string } | { kind: 'paused'; minutes: number };

/** The outcome of checking an answer. `expired` also covers "already used" and "never issued". */
export type CaptchaVerdict =
  | { outcome: 'solved' }
  | { outcome: 'wrong'; left: number }
  | { outcome: 'expired' }
  | { outcome: 'paused'; minutes: number };

/** What {@link CaptchaService} needs. */
export interface CaptchaDeps {
  store: StateStore;
  clock: Clock;
  db: Database;
  log: Logger;
  /** The application key; answers are stored only as HMAC(secret, …). */
  secret: string;
  /** `CAPTCHA_TEST_ANSWER`: every CAPTCHA's answer is this text (config refuses it in production). */
  testAnswer?: string;
  policy?: Partial<CaptchaPolicy>;
}

/** What is kept in the store for a chat's current CAPTCHA: never the answer, only its keyed hash. */
interface Pending {
  nonce: string;
  hash: string;
  expiresAt: number;
}

const key = {
  answer: (chatKey: string) => `captcha:answer:${chatKey}`,
  fails: (chatKey: string) => `captcha:fails:${chatKey}`,
  pause: (chatKey: string) => `captcha:pause:${chatKey}`,
};
/** Wrong answers further apart than this do not count as "in a row". */
const FAIL_WINDOW_MS = 3600_000;

/**
 * Image CAPTCHAs, one current challenge per chat. Answers are case-sensitive, single use, expire
 * after `ttlMs` (judged with the clock port), and are stored only as an HMAC with the app key.
 * Too many wrong answers in a row pause the chat and raise a `captcha-abuse` alert.
 *
 * @example
 * const c = await services.captcha.issue('telegram:42');   // { kind: 'image', png, terminal }
 * await services.captcha.check('telegram:42', 'hN7qE');     // { outcome: 'solved' }
 */
export class CaptchaService {
  readonly policy: CaptchaPolicy;

  constructor(private readonly deps: CaptchaDeps) {
    this.policy = { ...DEFAULT_CAPTCHA_POLICY, ...deps.policy };
  }

  /** Draws a new CAPTCHA for the chat, replacing any earlier one; refuses while the chat is paused. */
  async issue(chatKey: string): Promise<NewCaptcha> {
    const paused = await this.pausedMinutes(chatKey);
    if (paused) return { kind: 'paused', minutes: paused };
    const text = this.deps.testAnswer ?? randomCaptchaText();
    const nonce = randomBytes(12).toString('base64url');
    const pending: Pending = { nonce, hash: this.hash(chatKey, nonce, text), expiresAt: this.now() + this.policy.ttlMs };
    // The store TTL only collects garbage; expiry is decided with the clock in check().
    await this.deps.store.set(key.answer(chatKey), JSON.stringify(pending), this.policy.ttlMs * 2);
    const image = drawCaptcha(text);
    return { kind: 'image', png: image.png.toString('base64'), terminal: image.terminal };
  }

  /** Checks an answer (surrounding spaces ignored, case kept). The challenge is used up either way. */
  async check(chatKey: string, answer: string): Promise<CaptchaVerdict> {
    const paused = await this.pausedMinutes(chatKey);
    if (paused) return { outcome: 'paused', minutes: paused };
    const raw = await this.deps.store.take(key.answer(chatKey));
    if (!raw) return { outcome: 'expired' };
    let pending: Pending;
    try {
      pending = JSON.parse(raw) as Pending;
    } catch {
      return { outcome: 'expired' };
    }
    if (this.now() >= pending.expiresAt) return { outcome: 'expired' };
    const given = answer.trim().slice(0, 64);
    const expected = Buffer.from(pending.hash, 'base64url');
    const actual = Buffer.from(this.hash(chatKey, pending.nonce, given), 'base64url');
    if (expected.length === actual.length && timingSafeEqual(expected, actual)) {
      await this.deps.store.resetHits(key.fails(chatKey));
      return { outcome: 'solved' };
    }
    const failures = await this.deps.store.hit(key.fails(chatKey), FAIL_WINDOW_MS);
    if (failures < this.policy.maxFailures) return { outcome: 'wrong', left: this.policy.maxFailures - failures };
    await this.pause(chatKey, failures);
    return { outcome: 'paused', minutes: Math.ceil(this.policy.pauseMs / 60_000) };
  }

  /** Minutes left of a chat's pause (0 when not paused). */
  async pausedMinutes(chatKey: string): Promise<number> {
    const until = Number(await this.deps.store.get(key.pause(chatKey)));
    const left = until - this.now();
    return Number.isFinite(left) && left > 0 ? Math.ceil(left / 60_000) : 0;
  }

  private async pause(chatKey: string, failures: number): Promise<void> {
    const until = this.now() + this.policy.pauseMs;
    await this.deps.store.set(key.pause(chatKey), String(until), this.policy.pauseMs * 2);
    await this.deps.store.resetHits(key.fails(chatKey));
    await this.deps.store.del(key.answer(chatKey));
    this.deps.log.warn({ chat: chatKey, failures }, 'captcha: too many wrong answers; chat paused');
    await this.deps.db.tx((tx) => raiseAlert(tx, { kind: 'captcha-abuse', details: { chatKey, failures, pausedUntil: new Date(until).toISOString() } }));
  }

  private hash(chatKey: string, nonce: string, text: string): string {
    return createHmac('sha256', this.deps.secret).update(`captcha\u0000${chatKey}\u0000${nonce}\u0000${text}`).digest('base64url');
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
