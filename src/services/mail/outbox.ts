import type { Tx } from '../../infra/db/database.js';
import { newId } from '../../app/ids.js';

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
 * that causes the mail; the outbox sender delivers it later and retries until it is sent.
 */
export async function enqueueMail(tx: Tx, mail: MailMessage): Promise<string> {
  const id = newId();
  await tx.outbox.create({ data: { id, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, template: mail.template } });
  return id;
}
