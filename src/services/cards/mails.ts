import type { MailMessage } from '../mail/outbox.js';
import { mailMessage } from '../mail/templates.js';

/** The e-mails the cards service sends (templates in src/services/mail/templates/cards.ts). */
export type CardMailTemplate = 'card-enrolled' | 'pin-changed';

/** Renders a card e-mail in the member's language (holds the last 4 only, never the number or PIN). */
export function cardMail(template: CardMailTemplate, to: string, lang: string, vars: { name: string; last4: string }): MailMessage {
  return mailMessage(template, lang === 'ja' ? 'ja' : 'en', to, vars);
}
