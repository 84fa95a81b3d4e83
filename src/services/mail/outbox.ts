import type { Tx } from '../../infra/db/database.js';
import { newId } from '../../lib/ids.js';

/** A rendered e-mail ready to queue. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Which template made it (for support and tests), e.g. `verification`. */
  template: string;
}

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
