import { caseKey } from '../../../flows/signup/rules.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { MailSecretSource, RevealedMail, SecretMailRow } from '../mail/secrets.js';
import { MASKED_SECRET } from '../mail/secrets.js';
import { renderMail } from '../mail/templates.js';
import type { Codes, LinkTokens } from './codes.js';
import { langOf } from './language.js';
import type { MemberDeps, VerificationRef } from './members.js';

export type { VerificationRef } from './members.js';


/** A reset e-mail's reference once its member is known: the reset code's counter. */
export interface ResetRef {
  kind: 'reset';
  memberId: string;
  counter: number;
}

/** A reset asked for by a typed username, not yet looked up (see Passwords.startReset). */
export interface ResetRequestRef {
  kind: 'reset-request';
  usernameKey: string;
}

/** A username reminder asked for by a typed address, not yet looked up (see Passwords.sendUsername). */
export interface UsernameRequestRef {
  kind: 'username-request';
  emailKey: string;
}

type Ref = VerificationRef | ResetRef | ResetRequestRef | UsernameRequestRef;

/**
 * Makes the one-time secrets of the member e-mails at send time: activation and reset codes from
 * their counters (HOTP keyed by APP_SECRET), deep-link tokens from their nonces. A reset request is
 * turned into a reset e-mail here, outside the chat's turn: its member is looked up, a code issued
 * and the row rewritten to point at it (so a retry sends the same code); a request for a username
 * without an active account, or over the code limits, sends nothing. A username reminder request
 * is resolved the same way into an ordinary mail (a username is no secret).
 */
export class MemberMailSecrets implements MailSecretSource {
  constructor(
    private readonly d: MemberDeps,
    private readonly codes: Codes,
    private readonly links: LinkTokens,
    private readonly activationLink: (token: string) => string | null,
  ) {}

  /** See {@link MailSecretSource.reveal}. */
  async reveal(row: SecretMailRow): Promise<RevealedMail | null> {
    const ref = row.secretRef as Ref;
    const vars = (row.vars ?? {}) as Record<string, string | number>;
    switch (ref.kind) {
      case 'verification': {
        const code = await this.codes.codeAt(ref.memberId, 'activation', ref.counter);
        const link = vars.link === 'none' ? 'none' : (this.activationLink(this.links.tokenFor(ref.memberId, 'activation', ref.nonce)) ?? 'none');
        return { to: row.to, lang: langOf(row.lang ?? 'en'), vars: { ...vars, code, link } };
      }
      case 'reset':
        return { to: row.to, lang: langOf(row.lang ?? 'en'), vars: { ...vars, code: await this.codes.codeAt(ref.memberId, 'reset', ref.counter) } };
      case 'reset-request':
        return this.resolveResetRequest(row.id, ref);
      case 'username-request':
        return this.resolveUsernameRequest(row.id, ref);
      default:
        throw new Error(`unknown secret reference in mail ${row.id}`);
    }
  }

  private async resolveUsernameRequest(rowId: string, ref: UsernameRequestRef): Promise<RevealedMail | null> {
    const now = this.d.clock.now();
    const m = await this.d.db.prisma.member.findUnique({ where: { emailKey: ref.emailKey } });
    if (!m || m.status === 'disabled' || (m.status === 'pending' && (!m.pendingExpiresAt || m.pendingExpiresAt <= now))) return null;
    const lang = langOf(m.language);
    const vars = { username: m.username };
    const mail = renderMail('username-reminder', lang, vars);
    await this.d.db.prisma.outbox.update({ where: { id: rowId }, data: { to: m.email, subject: mail.subject, text: mail.text, html: mail.html, lang, vars, secretRef: Prisma.DbNull } });
    return { to: m.email, lang, vars };
  }

  private async resolveResetRequest(rowId: string, ref: ResetRequestRef): Promise<RevealedMail | null> {
    const m = await this.d.db.prisma.member.findFirst({ where: { usernameKey: caseKey(ref.usernameKey), status: 'active' } });
    if (!m || (await this.codes.resendRefusal(m.id, 'reset'))) return null;
    const lang = langOf(m.language);
    const vars = { username: m.username, minutes: this.d.config.CODE_TTL_MINUTES };
    const shown = renderMail('password-reset-code', lang, { ...vars, code: MASKED_SECRET });
    const counter = await this.d.db.tx(async (tx) => {
      const counter = await this.codes.issue(tx, m.id, 'reset');
      const next: ResetRef = { kind: 'reset', memberId: m.id, counter };
      await tx.outbox.update({ where: { id: rowId }, data: { to: m.email, subject: shown.subject, text: shown.text, lang, vars, secretRef: { ...next } } });
      return counter;
    });
    return { to: m.email, lang, vars: { ...vars, code: await this.codes.codeAt(m.id, 'reset', counter) } };
  }
}
