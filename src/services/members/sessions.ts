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
   * Checks a username and password. Always verifies one argon2 hash (a dummy one for unknown
   * usernames), so unknown users cost the same time. LOGIN_MAX_FAILURES wrong passwords in a row
   * lock the account for LOGIN_LOCK_MINUTES and raise a 'login-lockout' alert.
   */
  async checkLogin(username: string, password: string): Promise<LoginCheck> {
    const now = this.d.clock.now();
    const m = await this.d.db.prisma.member.findUnique({ where: { usernameKey: caseKey(username) } });
    const ok = await verifyPassword(m?.passwordHash ?? (await dummyHash()), password);
    if (!m || m.status === 'disabled' || (m.status === 'pending' && (!m.pendingExpiresAt || m.pendingExpiresAt <= now))) {
      return this.unknownFailure(caseKey(username), now);
    }
    if (m.lockedUntil && m.lockedUntil > now) return { outcome: 'locked', minutes: Math.ceil((m.lockedUntil.getTime() - now.getTime()) / 60_000) };
    if (ok) return m.status === 'pending' ? { outcome: 'pending', username: m.username } : { outcome: 'ok', memberId: m.id };
    const lockMinutes = this.d.config.LOGIN_LOCK_MINUTES;
    return this.d.db.tx(async (tx) => {
      const row = await tx.member.update({ where: { id: m.id }, data: { failedLogins: { increment: 1 } }, select: { failedLogins: true } });
      if (row.failedLogins < this.d.config.LOGIN_MAX_FAILURES) return { outcome: 'bad' as const };
      await tx.member.update({ where: { id: m.id }, data: { failedLogins: 0, lockedUntil: new Date(now.getTime() + lockMinutes * 60_000) } });
      await raiseAlert(tx, { kind: 'login-lockout', memberId: m.id, details: { username: m.username, failures: row.failedLogins, minutes: lockMinutes } });
      await audit(tx, { actor: 'system', action: 'member.login-locked', target: m.id, details: { minutes: lockMinutes } });
      this.d.log.warn({ member: m.id, minutes: lockMinutes }, 'login locked after repeated failures');
      return { outcome: 'locked' as const, minutes: lockMinutes };
    });
  }

  /**
   * Counts a failure for a username without an account exactly like for a real one (kept in the
   * state store), so the lockout answer does not tell which usernames exist.
   */
  private async unknownFailure(usernameKey: string, now: Date): Promise<LoginCheck> {
    const key = `login-unknown:${usernameKey}`;
    const lockMs = this.d.config.LOGIN_LOCK_MINUTES * 60_000;
    const raw = await this.d.store.get(key);
    const state = raw ? (JSON.parse(raw) as { n: number; until: number }) : { n: 0, until: 0 };
    const at = now.getTime();
    if (state.until > at) return { outcome: 'locked', minutes: Math.ceil((state.until - at) / 60_000) };
    const n = state.n + 1;
    if (n >= this.d.config.LOGIN_MAX_FAILURES) {
      await this.d.store.set(key, JSON.stringify({ n: 0, until: at + lockMs }), lockMs * 2);
      return { outcome: 'locked', minutes: this.d.config.LOGIN_LOCK_MINUTES };
    }
    await this.d.store.set(key, JSON.stringify({ n, until: 0 }), 24 * 3600_000);
    return { outcome: 'bad' };
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

  /** Forgets a member's failed log-ins and lifts their lock (after a log-in, support's unlock). */
  async clearLoginFailures(tx: Tx, memberId: string): Promise<void> {
    await tx.member.update({ where: { id: memberId }, data: { failedLogins: 0, lockedUntil: null } });
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
