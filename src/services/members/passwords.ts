import { CURRENT_PASSWORD_TRIES } from '../../../flows/password/change-password.js';
import { caseKey } from '../../../flows/signup/rules.js';
import { audit } from '../audit.js';
import { enqueueMail, enqueueMailRequest } from '../mail/outbox.js';
import { kickMail } from '../mail/runner.js';
import type { CodeCheck, ResendRefusal } from './codes.js';
import { mailMessage } from '../mail/templates.js';
import { langOf } from './language.js';
import type { ResetRequestRef, UsernameRequestRef } from './mail-secrets.js';
import type { MemberDeps } from './members.js';
import { dummyHash, hashPassword, passwordAdvice, passwordProblem, verifyPassword, type PasswordAdvice, type PasswordProblem } from './password-rules.js';
import type { Sessions } from './sessions.js';

/** A checked new password: its hash, or why it was refused (with zxcvbn's advice when it is easy to guess). */
export type NewPasswordCheck = { ok: true; hash: string } | { ok: false; problem: PasswordProblem; advice?: PasswordAdvice };

/** What the current password check of change-password found. */
export type CurrentPasswordCheck = { outcome: 'ok' } | { outcome: 'wrong'; left: number } | { outcome: 'locked'; minutes: number };

/**
 * Passwords: new-password rules and hashing, forgot password (code by e-mail), forgot username,
 * and change password. Changing or resetting a password ends the member's other sessions.
 */
export class Passwords {
  constructor(
    private readonly d: MemberDeps,
    private readonly sessions: Sessions,
  ) {}

  /** Checks a new password against the rules and hashes it (argon2id) when acceptable. */
  async checkNew(password: string, username: string | null): Promise<NewPasswordCheck> {
    const problem = passwordProblem(password, username);
    if (problem === 'weak') return { ok: false, problem, advice: passwordAdvice(password, username) };
    if (problem) return { ok: false, problem };
    return { ok: true, hash: await hashPassword(password) };
  }

  /** Does `password` match `hash` (the "password again" step)? */
  matches(hash: string, password: string): Promise<boolean> {
    return verifyPassword(hash, password);
  }

  /**
   * Change password, step "current password": counts the try first (AttemptLimit, so neither a new
   * flow nor a restart gives new tries), then verifies. CURRENT_PASSWORD_TRIES wrong ones in a row
   * lock changing the password for LOGIN_LOCK_MINUTES.
   */
  async checkCurrent(memberId: string, password: string): Promise<CurrentPasswordCheck> {
    const key = this.d.attempts.key('current-password', memberId);
    const policy = { max: CURRENT_PASSWORD_TRIES, lockMs: this.d.config.LOGIN_LOCK_MINUTES * 60_000 };
    const spent = await this.d.attempts.spend(key, policy);
    if (!spent.allowed) return { outcome: 'locked', minutes: spent.minutes };
    const m = await this.d.db.prisma.member.findUnique({ where: { id: memberId }, select: { passwordHash: true } });
    if (await verifyPassword(m?.passwordHash ?? (await dummyHash()), password)) {
      await this.d.attempts.clear(key);
      return { outcome: 'ok' };
    }
    if (spent.failures < policy.max) return { outcome: 'wrong', left: policy.max - spent.failures };
    await this.d.db.tx(async (tx) => {
      await this.d.attempts.lock(tx, key, policy);
      await audit(tx, { actor: `member:${memberId}`, action: 'member.change-password-locked', target: memberId, details: { minutes: this.d.config.LOGIN_LOCK_MINUTES } });
    });
    this.d.log.warn({ member: memberId, minutes: this.d.config.LOGIN_LOCK_MINUTES }, 'change password locked after wrong current passwords');
    return { outcome: 'locked', minutes: this.d.config.LOGIN_LOCK_MINUTES };
  }

  /**
   * Forgot password, after the CAPTCHA: asks for a reset code for this username. The chat's turn
   * does the same work whoever the username belongs to — a rate-limit check keyed by the username
   * and one outbox request — and the sender looks the account up later (see mail-secrets.ts), so
   * neither the answer nor its timing tells whether the account exists.
   */
  async startReset(username: string): Promise<{ sent: true } | ResendRefusal> {
    const usernameKey = caseKey(username);
    const refusal = await this.resetMailRefusal(usernameKey);
    if (refusal) return refusal;
    const request: ResetRequestRef = { kind: 'reset-request', usernameKey };
    await enqueueMailRequest(this.d.db.prisma, { template: 'password-reset-code', secretRef: { ...request } });
    kickMail();
    return { sent: true };
  }

  /**
   * Reset mails per username (known or not): at most one a minute and five an hour, as for codes.
   * Always one read and one write of the store, refused or not.
   */
  private async resetMailRefusal(usernameKey: string): Promise<ResendRefusal | null> {
    const key = `reset-mail:${this.d.attempts.key('reset-mail', usernameKey)}`;
    const { resendGapMs, perHour } = this.d.codes.limits;
    const now = this.d.clock.now().getTime();
    let times: number[] = [];
    try {
      times = (JSON.parse((await this.d.store.get(key)) ?? '[]') as number[]).filter((t) => now - t < 3600_000);
    } catch {
      // an unreadable value counts as none
    }
    const last = times.at(-1);
    let refusal: ResendRefusal | null = null;
    if (last !== undefined && now - last < resendGapMs) refusal = { sent: false, reason: 'too-soon', seconds: Math.ceil((resendGapMs - (now - last)) / 1000) };
    else if (times.length >= perHour) refusal = { sent: false, reason: 'too-many', minutes: Math.max(1, Math.ceil((times[0]! + 3600_000 - now) / 60_000)) };
    else times.push(now);
    await this.d.store.set(key, JSON.stringify(times), 3600_000);
    return refusal;
  }

  /** Checks a reset code typed for this username (see Codes.check); the same work for unknown names. */
  async checkResetCode(username: string, typed: string): Promise<CodeCheck> {
    const m = await this.d.db.prisma.member.findFirst({ where: { usernameKey: caseKey(username), status: 'active' }, select: { id: true } });
    return this.d.codes.check(m?.id ?? null, 'reset', typed);
  }

  /**
   * Forgot password, last step: sets the new password of the member whose reset code `codeId` was
   * used within the last hour (the flow proved the code before asking for the password).
   */
  async completeReset(codeId: string, hash: string): Promise<boolean> {
    const since = new Date(this.d.clock.now().getTime() - 3600_000);
    const code = await this.d.db.prisma.oneTimeCode.findFirst({ where: { id: codeId, purpose: 'reset', usedAt: { gte: since } }, select: { memberId: true } });
    if (!code) return false;
    await this.setPassword(code.memberId, hash, null, 'reset');
    return true;
  }

  /** Username of a member (for the new-password rule). */
  async usernameOf(memberId: string): Promise<string | null> {
    return (await this.d.db.prisma.member.findUnique({ where: { id: memberId }, select: { username: true } }))?.username ?? null;
  }

  /**
   * Sets a new password (already checked and hashed). `keepChatKey` keeps the session of the chat
   * doing it; every other session ends. Clears any lockout and e-mails the member.
   */
  async setPassword(memberId: string, hash: string, keepChatKey: string | null, reason: 'reset' | 'change'): Promise<void> {
    const now = this.d.clock.now();
    await this.d.db.tx(async (tx) => {
      const m = await tx.member.update({ where: { id: memberId }, data: { passwordHash: hash, passwordChangedAt: now } });
      await this.sessions.clearLoginFailures(tx, memberId);
      await this.sessions.endChat(tx, memberId, keepChatKey, 'session-ended-password');
      await enqueueMail(tx, mailMessage('password-changed', langOf(m.language), m.email, { username: m.username }));
      await audit(tx, { actor: `member:${memberId}`, action: reason === 'reset' ? 'member.password-reset' : 'member.password-changed', target: memberId });
    });
    kickMail();
  }

  /**
   * Forgot username: e-mails the username to this address when it belongs to a member. Like a reset,
   * the turn only queues a request (the sender looks the address up), so the chat answers the same
   * and takes as long whether or not the address has an account.
   */
  async sendUsername(email: string): Promise<void> {
    const request: UsernameRequestRef = { kind: 'username-request', emailKey: caseKey(email) };
    await enqueueMailRequest(this.d.db.prisma, { template: 'username-reminder', secretRef: { ...request } });
    kickMail();
  }
}
