/**
 * Onboarding e-mails (sign-up, activation, passwords). Words in `src/i18n/{en,ja}/onboarding.ftl`
 * as `mail-<name>-subject` / `mail-<name>-text`.
 */
import { defineMailTemplate } from '../registry.js';

declare module '../registry.js' {
  interface MailTemplateVars {
    /** The activation code and (when the bot's username is known) a deep link back into the chat, else `none`. */
    verification: { username: string; code: string; minutes: number; link: string };
    /** Sent to the owner when someone signs up with an e-mail address that already has an account. */
    'email-exists': { username: string };
    'account-activated': { username: string };
    'password-reset-code': { username: string; code: string; minutes: number };
    'password-changed': { username: string };
    'username-reminder': { username: string };
  }
}

defineMailTemplate({ name: 'verification', vars: ['username', 'code', 'minutes', 'link'], highlight: ['code'] });
defineMailTemplate({ name: 'email-exists', vars: ['username'] });
defineMailTemplate({ name: 'account-activated', vars: ['username'] });
defineMailTemplate({ name: 'password-reset-code', vars: ['username', 'code', 'minutes'], highlight: ['code'] });
defineMailTemplate({ name: 'password-changed', vars: ['username'] });
defineMailTemplate({ name: 'username-reminder', vars: ['username'], highlight: ['username'] });
