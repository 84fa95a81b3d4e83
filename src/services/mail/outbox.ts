import type { Lang } from '../../../flows/shared/protocol.js';
import type { Tx } from '../../infra/db/database.js';
import { newId } from '../../lib/ids.js';
import type { MailMessage } from './message.js';
import { MASKED_SECRET } from './secrets.js';
import { renderMail, type MailTemplateName, type MailTemplateVars } from './templates.js';

export type { MailMessage } from './message.js';


/**
 * Queues an e-mail in the transactional outbox. Call it inside the same transaction as the change
 * that causes the mail; the outbox sender (`src/services/mail/sender.ts`) delivers it and retries
 * until it is sent. Build `mail` with `mailMessage(template, lang, to, vars)` from `./templates.js`,
 * and call `kickMail()` from `./runner.js` after the transaction commits so it leaves at once.
 * @example
 * await db.tx(async (tx) => {
 *   await tx.member.update(...);
 *   await enqueueMail(tx, mailMessage('verification', lang, member.email, { username, code, minutes, link }));
 * });
 * kickMail();
 */
export async function enqueueMail(tx: Tx, mail: MailMessage): Promise<string> {
  const id = newId();
  await tx.outbox.create({ data: { id, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, template: mail.template } });
  return id;
}

/** A mail that carries one-time secrets: its template, its variables, and where the secrets come from. */
export interface SecretMail<K extends MailTemplateName> {
  to: string;
  template: K;
  lang: Lang;
  /** The variables that are not secret. */
  vars: Partial<MailTemplateVars[K]>;
  /** The variables made at send time from `secretRef` (`code`, `link` …). */
  secretVars: readonly (keyof MailTemplateVars[K] & string)[];
  /** What the {@link MailSecretSource} makes them from (JSON): a counter, a nonce, never a secret. */
  secretRef: Record<string, unknown>;
}

/**
 * Queues a mail that carries one-time secrets (activation or reset codes, deep-link tokens) without
 * writing them anywhere: the row holds the non-secret variables, a reference, and for people reading
 * the outbox a copy of the text with the secrets masked. The sender makes the secrets again when it
 * sends (see `secrets.ts`). Scrubbing a row later would not be enough: PostgreSQL keeps old row
 * versions on disk.
 */
export async function enqueueSecretMail<K extends MailTemplateName>(tx: Tx, mail: SecretMail<K>): Promise<string> {
  const id = newId();
  const masked = Object.fromEntries(mail.secretVars.map((v) => [v, MASKED_SECRET]));
  const shown = renderMail(mail.template, mail.lang, { ...mail.vars, ...masked } as MailTemplateVars[K]);
  await tx.outbox.create({
    data: { id, to: mail.to, subject: shown.subject, text: shown.text, html: null, template: mail.template, lang: mail.lang, vars: mail.vars as object, secretRef: mail.secretRef as object },
  });
  return id;
}

/**
 * Queues a request for a secret mail whose address is not looked up now (a password reset for a
 * typed username): the sender's {@link MailSecretSource} finds the person, or finds nobody and
 * removes the row, so the request costs the chat the same whether or not the account exists.
 */
export async function enqueueMailRequest(tx: Tx | { outbox: Tx['outbox'] }, request: { template: MailTemplateName; secretRef: Record<string, unknown> }): Promise<string> {
  const id = newId();
  await tx.outbox.create({ data: { id, to: '', subject: '', text: '', html: null, template: request.template, secretRef: request.secretRef as object } });
  return id;
}
