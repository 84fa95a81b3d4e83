/** Money e-mails: the [Card Charge Completion Notification] and [Card Charge Reversal Notification]. Words in src/i18n/{en,ja}/money.ftl. */
import { defineMailTemplate } from '../registry.js';

declare module '../registry.js' {
  interface MailTemplateVars {
    /** Amounts already formatted; `completedAt` in the operator's zone. */
    'charge-completed': { name: string; reference: string; amount: string; paid: string; fee: string; last4: string; completedAt: string };
    /** Amounts already formatted: taken from the card, returned to the payer; `reversedAt` in the operator's zone. */
    'charge-reversed': { name: string; reference: string; amount: string; returned: string; last4: string; reversedAt: string };
  }
}

defineMailTemplate({ name: 'charge-completed', vars: ['name', 'reference', 'amount', 'paid', 'fee', 'last4', 'completedAt'], highlight: ['reference'] });
defineMailTemplate({ name: 'charge-reversed', vars: ['name', 'reference', 'amount', 'returned', 'last4', 'reversedAt'], highlight: ['reference'] });
