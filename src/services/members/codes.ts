import { createHmac, randomBytes } from 'node:crypto';
import { generate, verify } from 'otplib';
import { CODE_DIGITS, normaliseCode } from '../../../flows/signup/rules.js';
import { newId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { Database, Tx } from '../../infra/db/database.js';

/** What an e-mailed code is for; each purpose derives its own HOTP secret. */
export type CodePurpose = 'activation' | 'reset';

/** The outcome of checking a typed code. */
export type CodeCheck =
  | { ok: true; codeId: string }
  | { ok: false; reason: 'wrong'; left: number }
  /** Right code, but from an e-mail that a resend replaced. */
  | { ok: false; reason: 'older'; left: number }
  | { ok: false; reason: 'expired' | 'used' | 'too-many' | 'unreadable' };

/** Why a new code was not sent. */
export type ResendRefusal = { sent: false; reason: 'too-soon'; seconds: number } | { sent: false; reason: 'too-many'; minutes: number };

/** Code policies. */
export interface CodePolicy {
  ttlMs: number;
  maxAttempts: number;
  /** Least time between two codes of one purpose. */
  resendGapMs: number;
  /** Most codes of one purpose per hour. */
  perHour: number;
}

const OLDER_CODES_CHECKED = 3;
/** The id and HOTP key of nobody: what an unknown person's code is checked against (never matches a row). */
const NOBODY = 'nobody';

/**
 * E-mailed one-time codes: HOTP (otplib) with a per-member counter and a secret derived as
 * HMAC(APP_SECRET, member id + purpose). The secret and the code are never stored, so reading the
 * database does not let anyone make codes; a row only tracks counter, expiry, attempts and use.
 */
export class Codes {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly appSecret: string,
    private readonly policy: CodePolicy,
  ) {}

  /** How often codes may be sent (resend gap, per hour). */
  get limits(): { resendGapMs: number; perHour: number } {
    return { resendGapMs: this.policy.resendGapMs, perHour: this.policy.perHour };
  }

  private secret(memberId: string, purpose: CodePurpose): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.appSecret).update(`code:${memberId}:${purpose}`).digest());
  }

  /**
   * The code of a member's purpose at `counter`, made again from APP_SECRET (the e-mail sender
   * calls this at send time, so no code is ever written down).
   */
  codeAt(memberId: string, purpose: CodePurpose, counter: number): Promise<string> {
    return generate({ secret: this.secret(memberId, purpose), strategy: 'hotp', counter, digits: CODE_DIGITS });
  }

  private async matches(memberId: string, purpose: CodePurpose, counter: number, token: string): Promise<boolean> {
    const r = await verify({ secret: this.secret(memberId, purpose), strategy: 'hotp', counter, digits: CODE_DIGITS, token });
    return r.valid;
  }

  /**
   * Issues the next code inside `tx` (bumping the member's counter, so every older code of the
   * purpose stops working) and returns its counter: the e-mail refers to it, and {@link codeAt}
   * makes the code when the e-mail is sent. Call {@link resendRefusal} first for resends.
   */
  async issue(tx: Tx, memberId: string, purpose: CodePurpose): Promise<number> {
    const now = this.clock.now();
    const m = await tx.member.update({ where: { id: memberId }, data: { codeCounter: { increment: 1 } }, select: { codeCounter: true } });
    await tx.oneTimeCode.create({
      data: { id: newId(), memberId, purpose, counter: m.codeCounter, expiresAt: new Date(now.getTime() + this.policy.ttlMs), createdAt: now },
    });
    return m.codeCounter;
  }

  /** Null when another code may be sent now; otherwise why not (too soon after the last, or too many this hour). */
  async resendRefusal(memberId: string, purpose: CodePurpose): Promise<ResendRefusal | null> {
    const now = this.clock.now().getTime();
    const recent = await this.db.prisma.oneTimeCode.findMany({
      where: { memberId, purpose, createdAt: { gt: new Date(now - 3600_000) } },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    const last = recent[0]?.createdAt.getTime();
    if (last !== undefined && now - last < this.policy.resendGapMs) return { sent: false, reason: 'too-soon', seconds: Math.ceil((this.policy.resendGapMs - (now - last)) / 1000) };
    if (recent.length >= this.policy.perHour) {
      const oldest = recent[recent.length - 1]!.createdAt.getTime();
      return { sent: false, reason: 'too-many', minutes: Math.max(1, Math.ceil((oldest + 3600_000 - now) / 60_000)) };
    }
    return null;
  }

  /**
   * Spends one try of a code, if it has one left and is unused: a single `UPDATE … SET attempts =
   * attempts + 1 WHERE attempts < max RETURNING`, so concurrent guesses queue on the row and never
   * outnumber the limit. Returns the attempts counted so far, or null when no try was left.
   */
  private async spendTry(codeId: string): Promise<number | null> {
    const rows = await this.db.prisma.oneTimeCode.updateManyAndReturn({
      where: { id: codeId, usedAt: null, attempts: { lt: this.policy.maxAttempts } },
      data: { attempts: { increment: 1 } },
      select: { attempts: true },
    });
    return rows[0]?.attempts ?? null;
  }

  /**
   * Checks a typed code against the newest code of the purpose: expired, used, too many tries, or
   * wrong. A try is counted before the code is compared (count first), and a right code is marked
   * used at once (single use). `memberId` null (unknown person) always answers `wrong`, after the
   * same statements and the same HOTP work.
   */
  async check(memberId: string | null, purpose: CodePurpose, typed: string): Promise<CodeCheck> {
    const token = normaliseCode(typed);
    if (token === null) return { ok: false, reason: 'unreadable' };
    const now = this.clock.now();
    const latest = await this.db.prisma.oneTimeCode.findFirst({ where: { memberId: memberId ?? NOBODY, purpose }, orderBy: { counter: 'desc' } });
    if (!memberId || !latest) {
      await this.spendTry(NOBODY);
      await this.matches(NOBODY, purpose, 0, token);
      await this.olderCounters(NOBODY, purpose, 0);
      return { ok: false, reason: 'wrong', left: this.policy.maxAttempts };
    }
    if (latest.usedAt) return { ok: false, reason: 'used' };
    if (latest.attempts >= this.policy.maxAttempts) return { ok: false, reason: 'too-many' };
    if (latest.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    const attempts = await this.spendTry(latest.id);
    if (attempts === null) {
      // Another turn used the code or spent its last try since it was read.
      const row = await this.db.prisma.oneTimeCode.findUnique({ where: { id: latest.id }, select: { usedAt: true } });
      return { ok: false, reason: row?.usedAt ? 'used' : 'too-many' };
    }
    if (await this.matches(memberId, purpose, latest.counter, token)) {
      const claimed = await this.db.prisma.oneTimeCode.updateMany({ where: { id: latest.id, usedAt: null }, data: { usedAt: now } });
      return claimed.count === 1 ? { ok: true, codeId: latest.id } : { ok: false, reason: 'used' };
    }
    const left = Math.max(0, this.policy.maxAttempts - attempts);
    if (left === 0) return { ok: false, reason: 'too-many' };
    for (const counter of await this.olderCounters(memberId, purpose, latest.counter)) {
      if (await this.matches(memberId, purpose, counter, token)) return { ok: false, reason: 'older', left };
    }
    return { ok: false, reason: 'wrong', left };
  }

  /** Counters of the few codes a resend replaced (a right one of those is answered `older`). */
  private async olderCounters(memberId: string, purpose: CodePurpose, below: number): Promise<number[]> {
    const rows = await this.db.prisma.oneTimeCode.findMany({
      where: { memberId, purpose, counter: { lt: below } },
      orderBy: { counter: 'desc' },
      take: OLDER_CODES_CHECKED,
      select: { counter: true },
    });
    return rows.map((r) => r.counter);
  }

  /** Was a code of this purpose used by this member since `since` (a flow proved it before acting)? */
  async usedSince(memberId: string, purpose: CodePurpose, codeId: string, since: Date): Promise<boolean> {
    const row = await this.db.prisma.oneTimeCode.findFirst({ where: { id: codeId, memberId, purpose, usedAt: { gte: since } }, select: { id: true } });
    return row !== null;
  }
}

/** The stored form of a link token (keyed hash; the token itself is never stored). */
export function linkTokenHash(appSecret: string, token: string): string {
  return createHmac('sha256', appSecret).update(`link:${token}`).digest('hex');
}

/**
 * Opaque single-use tokens of deep links into the bot (`/start act_<token>`): 24 bytes, base64url
 * (32 characters, allowed in Telegram start parameters), derived as HMAC(APP_SECRET, member,
 * purpose, nonce). Only a keyed hash of the token is stored, and the e-mail keeps only the random
 * nonce: the sender makes the token again at send time, so it is in no row.
 */
export class LinkTokens {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly appSecret: string,
  ) {}

  /** The token of (member, purpose, nonce). */
  tokenFor(memberId: string, purpose: string, nonce: string): string {
    return createHmac('sha256', this.appSecret).update(`link-token:${memberId}:${purpose}:${nonce}`).digest().subarray(0, 24).toString('base64url');
  }

  /** Creates a token for `memberId` inside `tx`; returns its nonce (for the e-mail's reference). */
  async create(tx: Tx, memberId: string, purpose: string, ttlMs: number): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    const now = this.clock.now();
    await tx.linkToken.create({ data: { tokenHash: linkTokenHash(this.appSecret, this.tokenFor(memberId, purpose, nonce)), memberId, purpose, expiresAt: new Date(now.getTime() + ttlMs), createdAt: now } });
    return nonce;
  }

  /** Uses a token once: the member it was made for, or null when unknown, used or expired. */
  async claim(token: string, purpose: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
    const now = this.clock.now();
    const tokenHash = linkTokenHash(this.appSecret, token);
    const claimed = await this.db.prisma.linkToken.updateMany({ where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) return null;
    const row = await this.db.prisma.linkToken.findUnique({ where: { tokenHash }, select: { memberId: true } });
    return row?.memberId ?? null;
  }
}
