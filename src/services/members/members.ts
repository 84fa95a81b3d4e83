import type { Lang } from '../../../flows/shared/protocol.js';
import { ACTIVATION_DEEP_LINK_PREFIX } from '../../../flows/activation/machine.js';
import { caseKey, normaliseName } from '../../../flows/signup/rules.js';
import { newId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../lib/logger.js';
import type { Database, Tx } from '../../infra/db/database.js';
import type { StateStore } from '../../infra/store/store.js';
import { audit } from '../audit.js';
import { enqueueMail, enqueueSecretMail } from '../mail/outbox.js';
import { kickMail } from '../mail/runner.js';
import type { AttemptLimits } from './attempts.js';
import type { CodeCheck, Codes, LinkTokens, ResendRefusal } from './codes.js';
import { mailMessage } from '../mail/templates.js';
import { langOf } from './language.js';

/** The verification e-mail's reference: the activation code's counter and the link token's nonce. */
export interface VerificationRef {
  kind: 'verification';
  memberId: string;
  counter: number;
  nonce: string;
}

/** The deep-link prefix of activation links: `/start act_<token>`. */
export const ACTIVATION_LINK_PREFIX = ACTIVATION_DEEP_LINK_PREFIX;

/** What a sign-up submits (the password only as its argon2 hash). */
export interface SignupRequest {
  username: string;
  email: string;
  fullName: string;
  passwordHash: string;
  lang: Lang;
}

/** Everything the member services share. */
export interface MemberDeps {
  db: Database;
  clock: Clock;
  config: Config;
  log: Logger;
  store: StateStore;
  codes: Codes;
  links: LinkTokens;
  /** Failed tries that survive restarts (log-ins, current passwords). */
  attempts: AttemptLimits;
}

/**
 * Sign-up and activation. A pending sign-up holds its username and e-mail for
 * PENDING_SIGNUP_HOURS at most; after that anyone may take them (the stale row is removed then).
 */
export class Members {
  constructor(private readonly d: MemberDeps) {}

  private get pendingMs(): number {
    return this.d.config.PENDING_SIGNUP_HOURS * 3600_000;
  }

  /** Members that still hold their username and e-mail: active ones, and pending ones not yet expired. */
  private holding(now: Date) {
    return { OR: [{ status: { not: 'pending' } }, { pendingExpiresAt: { gt: now } }] };
  }

  /** Is this username free (ignoring case)? */
  async usernameFree(username: string): Promise<boolean> {
    const now = this.d.clock.now();
    const m = await this.d.db.prisma.member.findFirst({ where: { usernameKey: caseKey(username), ...this.holding(now) }, select: { id: true } });
    return m === null;
  }

  /** Do verification e-mails carry a link back into the chat (the bot's Telegram username is known)? */
  mailHasLinks(): boolean {
    return Boolean(this.d.config.PUBLIC_BOT_USERNAME);
  }

  /** The link of an activation e-mail, when the bot's Telegram username is known. */
  activationLink(token: string): string | null {
    const bot = this.d.config.PUBLIC_BOT_USERNAME;
    return bot ? `https://t.me/${bot}?start=${ACTIVATION_LINK_PREFIX}${token}` : null;
  }

  /**
   * Queues the verification e-mail (a new code and link) inside `tx`. The row keeps the code's
   * counter and the link's nonce; the sender makes code and link from them (see mail-secrets.ts).
   */
  private async sendVerification(tx: Tx, m: { id: string; email: string; username: string; language: string }): Promise<void> {
    const counter = await this.d.codes.issue(tx, m.id, 'activation');
    const nonce = await this.d.links.create(tx, m.id, 'activation', this.pendingMs);
    const ref: VerificationRef = { kind: 'verification', memberId: m.id, counter, nonce };
    const vars = { username: m.username, minutes: this.d.config.CODE_TTL_MINUTES };
    // Without the bot's username there is no link to make: the mail says so, as it did when queued.
    const withLink = Boolean(this.d.config.PUBLIC_BOT_USERNAME);
    await enqueueSecretMail(tx, { to: m.email, template: 'verification', lang: langOf(m.language), vars: withLink ? vars : { ...vars, link: 'none' }, secretVars: withLink ? ['code', 'link'] : ['code'], secretRef: { ...ref } });
  }

  /**
   * Registers a pending member and queues the verification e-mail. An e-mail address that already
   * has an account gets a notice e-mail instead and nothing is created; the answer is the same
   * (`sent`), so the chat does not reveal which addresses have accounts. `username-taken` only when
   * someone took the username since it was checked.
   */
  async register(req: SignupRequest): Promise<'sent' | 'username-taken'> {
    const now = this.d.clock.now();
    const usernameKey = caseKey(req.username);
    const emailKey = caseKey(req.email);
    try {
      const result = await this.d.db.tx(async (tx) => {
        // Stale pending sign-ups release what they held.
        await tx.member.deleteMany({ where: { status: 'pending', pendingExpiresAt: { lte: now }, OR: [{ usernameKey }, { emailKey }] } });
        const owner = await tx.member.findUnique({ where: { emailKey } });
        if (owner) {
          await enqueueMail(tx, mailMessage('email-exists', langOf(owner.language), owner.email, { username: owner.username }));
          await audit(tx, { actor: 'system', action: 'member.signup-existing-email', target: owner.id });
          return 'sent' as const;
        }
        if (await tx.member.findUnique({ where: { usernameKey }, select: { id: true } })) return 'username-taken' as const;
        const id = newId();
        const m = await tx.member.create({
          data: {
            id,
            username: req.username.trim(),
            usernameKey,
            email: req.email.trim(),
            emailKey,
            fullName: normaliseName(req.fullName),
            passwordHash: req.passwordHash,
            status: 'pending',
            language: req.lang,
            pendingExpiresAt: new Date(now.getTime() + this.pendingMs),
            createdAt: now,
          },
        });
        await this.sendVerification(tx, m);
        await audit(tx, { actor: `member:${id}`, action: 'member.signup', target: id });
        return 'sent' as const;
      });
      kickMail();
      return result;
    } catch (err) {
      // Two sign-ups racing for one username or e-mail: the loser is told the username is taken
      // only if it is the username; an e-mail race answers as usual.
      if ((err as { code?: string }).code === 'P2002') {
        return (await this.usernameFree(req.username)) ? 'sent' : 'username-taken';
      }
      throw err;
    }
  }

  /** The pending, unexpired member with this username, or null. */
  async pendingByUsername(username: string): Promise<{ id: string; username: string } | null> {
    const now = this.d.clock.now();
    return this.d.db.prisma.member.findFirst({ where: { usernameKey: caseKey(username), status: 'pending', pendingExpiresAt: { gt: now } }, select: { id: true, username: true } });
  }

  /** The member an activation link was made for (the token is used up), or null. */
  async claimActivationLink(token: string): Promise<{ id: string; username: string } | null> {
    const memberId = await this.d.links.claim(token, 'activation');
    if (!memberId) return null;
    const now = this.d.clock.now();
    return this.d.db.prisma.member.findFirst({ where: { id: memberId, status: 'pending', pendingExpiresAt: { gt: now } }, select: { id: true, username: true } });
  }

  /** Checks an activation code (see {@link Codes.check}); unknown members always get `wrong`. */
  checkActivationCode(memberId: string | null, typed: string): Promise<CodeCheck> {
    return this.d.codes.check(memberId, 'activation', typed);
  }

  /**
   * Sends a new verification e-mail (older codes stop working), rate-limited. Unknown members are
   * answered `sent` too, so the answer reveals nothing.
   */
  async resendActivation(memberId: string | null): Promise<{ sent: true } | ResendRefusal> {
    if (!memberId) return { sent: true };
    const refusal = await this.d.codes.resendRefusal(memberId, 'activation');
    if (refusal) return refusal;
    const now = this.d.clock.now();
    await this.d.db.tx(async (tx) => {
      const m = await tx.member.findFirst({ where: { id: memberId, status: 'pending', pendingExpiresAt: { gt: now } } });
      if (m) await this.sendVerification(tx, m);
    });
    kickMail();
    return { sent: true };
  }

  /**
   * Support's "resend activation" inside the caller's transaction: a new verification e-mail (older
   * codes stop working) for a pending, unexpired member, without the cardholder's rate limit (the
   * caller audits and calls `kickMail` after commit). False when the member is not pending.
   */
  async resendVerificationIn(tx: Tx, memberId: string): Promise<boolean> {
    const now = this.d.clock.now();
    const m = await tx.member.findFirst({ where: { id: memberId, status: 'pending', pendingExpiresAt: { gt: now } } });
    if (!m) return false;
    await this.sendVerification(tx, m);
    return true;
  }

  /**
   * Activates a pending member whose activation code `codeId` was just used, claims its username
   * and e-mail for good, and queues the "account active" e-mail.
   */
  async activate(memberId: string, codeId: string): Promise<boolean> {
    const now = this.d.clock.now();
    if (!(await this.d.codes.usedSince(memberId, 'activation', codeId, new Date(now.getTime() - 3600_000)))) return false;
    const activated = await this.d.db.tx(async (tx) => {
      const done = await tx.member.updateMany({ where: { id: memberId, status: 'pending' }, data: { status: 'active', activatedAt: now, pendingExpiresAt: null } });
      if (done.count !== 1) return false;
      const m = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
      await enqueueMail(tx, mailMessage('account-activated', langOf(m.language), m.email, { username: m.username }));
      await audit(tx, { actor: `member:${memberId}`, action: 'member.activated', target: memberId });
      return true;
    });
    if (activated) kickMail();
    return activated;
  }
}
