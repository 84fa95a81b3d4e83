/**
 * Operator e-mails. `test-mail` checks the SMTP settings end to end, and is the worked example of a
 * template: vars declared by declaration merging, words in `src/i18n/{en,ja}/mail.ftl` as
 * `mail-test-mail-subject` / `mail-test-mail-text`, one variable highlighted in the HTML part.
 */
import { defineMailTemplate } from '../registry.js';

declare module '../registry.js' {
  interface MailTemplateVars {
    /** `sentAt`: when it was queued (already formatted); `reference`: a code to find it again. */
    'test-mail': { sentAt: string; reference: string };
  }
}

defineMailTemplate({ name: 'test-mail', vars: ['sentAt', 'reference'], highlight: ['reference'] });
