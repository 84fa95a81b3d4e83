/** Money e-mails: the [Card Charge Completion Notification]. Words in src/i18n/{en,ja}/money.ftl. */
import { defineMailTemplate } from '../registry.js';

declare module '../registry.js' {
  interface MailTemplateVars {
    /** Amounts already formatted; `completedAt` in the operator's zone. */
    'charge-completed': { name: string; reference: string; amount: string; paid: string; fee: string; last4: string; completedAt: string };
  }
}

defineMailTemplate({ name: 'charge-completed', vars: ['name', 'reference', 'amount', 'paid', 'fee', 'last4', 'completedAt'], highlight: ['reference'] });
