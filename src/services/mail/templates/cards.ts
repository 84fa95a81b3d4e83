/** Card e-mails: "card enrolled" and "PIN changed". Words in src/i18n/{en,ja}/cards.ftl. Never a number or a PIN. */
import { defineMailTemplate } from '../registry.js';

declare module '../registry.js' {
  interface MailTemplateVars {
    /** `name`: the member's full name; `last4`: the card's last 4 digits. */
    'card-enrolled': { name: string; last4: string };
    'pin-changed': { name: string; last4: string };
  }
}

// No common footer: it says an unexpected mail can be ignored, but these two must not be ignored.
defineMailTemplate({ name: 'card-enrolled', vars: ['name', 'last4'], footer: false });
defineMailTemplate({ name: 'pin-changed', vars: ['name', 'last4'], footer: false });
