import type { Lang } from '../../../flows/shared/protocol.js';
import { Catalogue } from '../../i18n/i18n.js';
import type { MailMessage } from '../mail/outbox.js';

let catalogue: Catalogue | undefined;

/** The e-mails the cards service sends, written from the `mail-card-*` messages of cards.ftl. */
export type CardMailTemplate = 'card-enrolled' | 'pin-changed';

/** Renders a card e-mail in the member's language (never holds the number or the PIN). */
export function cardMail(template: CardMailTemplate, to: string, lang: string, vars: { name: string; last4: string }): MailMessage {
  catalogue ??= new Catalogue();
  const l: Lang = lang === 'ja' ? 'ja' : 'en';
  const key = `mail-${template}`;
  return {
    to,
    subject: catalogue.render(l, { key: `${key}-subject`, vars }),
    text: catalogue.render(l, { key: `${key}-text`, vars }),
    template,
  };
}
