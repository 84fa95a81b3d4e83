import { formatInZone } from '../../domain/time/zone.js';
import type { MailMessage } from '../mail/outbox.js';
import { mailMessage } from '../mail/templates.js';
import type { MoneyLang } from '../../domain/money/index.js';

/** What the completion e-mail shows. */
export interface ChargeCompletedMailInput {
  to: string;
  fullName: string;
  lang: MoneyLang;
  reference: string;
  /** What landed on the card (formatted). */
  amount: string;
  /** What the cardholder paid (formatted). */
  paid: string;
  fee: string;
  last4: string;
  at: Date;
  zone: string;
}

/** The "[Card Charge Completion Notification]" e-mail (template `charge-completed`), in the member's language. */
export function chargeCompletedMail(i: ChargeCompletedMailInput): MailMessage {
  const completedAt = formatInZone(i.at, i.zone);
  return mailMessage('charge-completed', i.lang, i.to, { name: i.fullName, reference: i.reference, amount: i.amount, paid: i.paid, fee: i.fee, last4: i.last4, completedAt });
}
