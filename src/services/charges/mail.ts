import { DateTime } from 'luxon';
import type { MailMessage } from '../mail/outbox.js';
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

/** The "[Card Charge Completion Notification]" e-mail, in the member's language. */
export function chargeCompletedMail(i: ChargeCompletedMailInput): MailMessage {
  const when = DateTime.fromJSDate(i.at).setZone(i.zone).toFormat('MM/dd/yyyy HH:mm ZZZZ');
  const text = i.lang === 'ja'
    ? [
      `${i.fullName} 様`,
      '',
      'カードへのチャージが完了しました。',
      '',
      `受付番号: ${i.reference}`,
      `カード: •••• ${i.last4}`,
      `チャージ額: ${i.amount}`,
      `お支払い額: ${i.paid}（うち手数料 ${i.fee}）`,
      `完了日時: ${when}`,
      '',
      'お心当たりのない場合は、チャットからサポートにご連絡ください。',
      'OMNIPAY',
    ]
    : [
      `Dear ${i.fullName},`,
      '',
      'The charge to your card has been completed.',
      '',
      `Reference: ${i.reference}`,
      `Card: •••• ${i.last4}`,
      `Charged to the card: ${i.amount}`,
      `Paid: ${i.paid} (fee included: ${i.fee})`,
      `Completed: ${when}`,
      '',
      'If you did not request this charge, please contact support from the chat.',
      'OMNIPAY',
    ];
  return {
    to: i.to,
    subject: i.lang === 'ja' ? '[カードチャージ完了のお知らせ] [Card Charge Completion Notification]' : '[Card Charge Completion Notification]',
    text: text.join('\n'),
    template: 'charge-completed',
  };
}
