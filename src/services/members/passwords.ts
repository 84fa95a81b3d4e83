import { CURRENT_PASSWORD_TRIES } from '../../../flows/password/change-password.js';
import { caseKey } from '../../../flows/signup/rules.js';
import { audit } from '../audit.js';
import { enqueueMail } from '../mail/outbox.js';
import { kickMail } from '../mail/runner.js';
import type { CodeCheck, ResendRefusal } from './codes.js';
import { mailMessage } from '../mail/templates.js';
import { langOf } from './language.js';
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
   * Forgot password, step 1: e-mails a reset code to an active member with this username. Returns
   * the member id to check codes against (null for unknown usernames); the chat answers the same.
   */
  async startReset(username: string): Promise<{ memberId: string | null; refusal: ResendRefusal | null }> {
    const m = await this.d.db.prisma.member.findFirst({ where: { usernameKey: caseKey(username), status: 'active' } });
    if (!m) return { memberId: null, refusal: null };
    const refusal = await this.d.codes.resendRefusal(m.id, 'reset');
    if (refusal) return { memberId: m.id, refusal };
    await this.d.db.tx(async (tx) => {
      const code = await this.d.codes.issue(tx, m.id, 'reset');
      await enqueueMail(tx, mailMessage('password-reset-code', langOf(m.language), m.email, { username: m.username, code, minutes: this.d.config.CODE_TTL_MINUTES }));
    });
    kickMail();
    return { memberId: m.id, refusal: null };
  }

  /** Checks a reset code (see Codes.check). */
  checkResetCode(memberId: string | null, typed: string): Promise<CodeCheck> {
    return this.d.codes.check(memberId, 'reset', typed);
  }

  /**
   * Forgot password, last step: sets the new password if the reset code `codeId` was used by this
   * member within the last hour (the flow proved the code before asking for the password).
   */
  async completeReset(memberId: string, codeId: string, hash: string): Promise<boolean> {
    const since = new Date(this.d.clock.now().getTime() - 3600_000);
    if (!(await this.d.codes.usedSince(memberId, 'reset', codeId, since))) return false;
    await this.setPassword(memberId, hash, null, 'reset');
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
   * Forgot username: e-mails the username to this address when it belongs to a member. The chat
   * answers the same either way.
   */
  async sendUsername(email: string): Promise<void> {
    const now = this.d.clock.now();
    const m = await this.d.db.prisma.member.findUnique({ where: { emailKey: caseKey(email) } });
    if (!m || (m.status === 'pending' && (!m.pendingExpiresAt || m.pendingExpiresAt <= now))) return;
    await this.d.db.tx(async (tx) => {
      await enqueueMail(tx, mailMessage('username-reminder', langOf(m.language), m.email, { username: m.username }));
    });
    kickMail();
  }
}
