import type { Lang, Session } from '../../../flows/shared/protocol.js';
import { caseKey } from '../../../flows/signup/rules.js';
import { newId } from '../../lib/ids.js';
import type { Tx } from '../../infra/db/database.js';
import { raiseAlert } from '../alerts.js';
import { audit } from '../audit.js';
import { queueNotice } from '../notices.js';
import { langOf } from './language.js';
import type { MemberDeps } from './members.js';
import { dummyHash, verifyPassword } from './password-rules.js';

/**
 * What a log-in attempt found. The flow reveals it only after the CAPTCHA; every wrong username or
 * password is the same `bad`.
 */
export type LoginCheck =
  | { outcome: 'ok'; memberId: string }
  | { outcome: 'pending'; username: string }
  | { outcome: 'locked'; minutes: number }
  | { outcome: 'bad' };

/**
 * Log-in, lockout and the one chat a member is logged in from (MemberChat). Session expiry itself
 * (idle, maximum age) is the root machine's.
 */
export class Sessions {
  constructor(private readonly d: MemberDeps) {}

  /**
   * Checks a username and password, doing the same work whether or not the username has an account:
   * one member read, one try spent in AttemptLimit (keyed by the username, so unknown names lock
   * too), one argon2 verification (a dummy hash for unknown names), then on a wrong password the
   * same statements (at the limit: lock, an alert and an audit line). LOGIN_MAX_FAILURES wrong
   * passwords in a row lock the username for LOGIN_LOCK_MINUTES.
   */
  async checkLogin(username: string, password: string): Promise<LoginCheck> {
    const now = this.d.clock.now();
    const usernameKey = caseKey(username);
    const key = this.d.attempts.key('login', usernameKey);
    const policy = this.loginPolicy;
    const m = await this.d.db.prisma.member.findUnique({ where: { usernameKey } });
    // Count first: the try is spent before the password is looked at.
    const spent = await this.d.attempts.spend(key, policy);
    const ok = await verifyPassword(m?.passwordHash ?? (await dummyHash()), password);
    if (!spent.allowed) return { outcome: 'locked', minutes: spent.minutes };
    const known = m !== null && m.status !== 'disabled' && !(m.status === 'pending' && (!m.pendingExpiresAt || m.pendingExpiresAt <= now));
    if (known && m.lockedUntil && m.lockedUntil > now) return { outcome: 'locked', minutes: Math.ceil((m.lockedUntil.getTime() - now.getTime()) / 60_000) };
    if (known && ok) {
      await this.d.attempts.clear(key);
      return m.status === 'pending' ? { outcome: 'pending', username: m.username } : { outcome: 'ok', memberId: m.id };
    }
    if (spent.failures < policy.max) return { outcome: 'bad' };
    const memberId = known ? m.id : null;
    await this.d.db.tx(async (tx) => {
      const until = await this.d.attempts.lock(tx, key, policy);
      // Mirrored on the member (support sees and lifts it there); no row for an unknown name.
      await tx.member.updateMany({ where: { id: memberId ?? '' }, data: { lockedUntil: until } });
      // A name without an account is not written down: it may be a password typed in the wrong field.
      await raiseAlert(tx, { kind: 'login-lockout', ...(memberId ? { memberId } : {}), details: { username: memberId ? m!.username : null, known: memberId !== null, failures: spent.failures, minutes: this.d.config.LOGIN_LOCK_MINUTES } });
      await audit(tx, { actor: 'system', action: 'member.login-locked', ...(memberId ? { target: memberId } : {}), details: { minutes: this.d.config.LOGIN_LOCK_MINUTES } });
    });
    this.d.log.warn({ member: memberId, minutes: this.d.config.LOGIN_LOCK_MINUTES }, 'login locked after repeated failures');
    return { outcome: 'locked', minutes: this.d.config.LOGIN_LOCK_MINUTES };
  }

  private get loginPolicy() {
    return { max: this.d.config.LOGIN_MAX_FAILURES, lockMs: this.d.config.LOGIN_LOCK_MINUTES * 60_000 };
  }

  /** Wrong passwords in a row for this username that still count towards a lock (they are counted per username, not on the member). */
  loginFailures(usernameKey: string, tx?: Tx): Promise<number> {
    return this.d.attempts.failures(this.d.attempts.key('login', usernameKey), tx);
  }

  /** Forgets a member's failed log-ins and lifts their lock (after a log-in, a reset, support's unlock). */
  async clearLoginFailures(tx: Tx, memberId: string): Promise<void> {
    const m = await tx.member.update({ where: { id: memberId }, data: { failedLogins: 0, lockedUntil: null }, select: { usernameKey: true } });
    await this.d.attempts.clear(this.d.attempts.key('login', m.usernameKey), tx);
  }

  /**
   * Starts a session on `chatKey`: clears the failure count and links the chat. A member has one
   * chat: if they were logged in elsewhere, that chat is told and its session ends.
   */
  async start(memberId: string, chatKey: string): Promise<{ session: Session; lang: Lang }> {
    const now = this.d.clock.now();
    const sessionId = newId();
    return this.d.db.tx(async (tx) => {
      await this.clearLoginFailures(tx, memberId);
      const m = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { username: true, language: true } });
      await this.endChat(tx, memberId, chatKey, 'session-ended-elsewhere');
      // This chat may still be linked to someone else who logged in here before.
      await tx.memberChat.deleteMany({ where: { chatKey } });
      await tx.memberChat.upsert({ where: { memberId }, create: { memberId, chatKey, sessionId, linkedAt: now }, update: { chatKey, sessionId, linkedAt: now } });
      await audit(tx, { actor: `member:${memberId}`, action: 'member.login', details: { chat: chatKey } });
      const at = now.getTime();
      return { session: { memberId, username: m.username, sessionId, startedAt: at, lastSeenAt: at }, lang: langOf(m.language) };
    });
  }

  /** Lifts a log-in lock (support's "unlock"): clears the failure count and writes the audit log. */
  async unlock(memberId: string, actor: string): Promise<boolean> {
    return this.d.db.tx(async (tx) => {
      if (!(await tx.member.findUnique({ where: { id: memberId }, select: { id: true } }))) return false;
      await this.clearLoginFailures(tx, memberId);
      await audit(tx, { actor, action: 'member.login-unlocked', target: memberId });
      return true;
    });
  }

  /**
   * Ends the member's session on their linked chat unless it is `keepChatKey`: queues a notice that
   * ends it there and unlinks it. Used for a log-in elsewhere and password changes.
   */
  async endChat(tx: Tx, memberId: string, keepChatKey: string | null, key: string): Promise<void> {
    const linked = await tx.memberChat.findUnique({ where: { memberId } });
    if (!linked || linked.chatKey === keepChatKey) return;
    await queueNotice(tx, { chatKey: linked.chatKey, key, endSession: true });
    await tx.memberChat.delete({ where: { memberId } });
  }
}
