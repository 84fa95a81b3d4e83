import type { Lang } from '../../../flows/shared/protocol.js';

/** A queued mail that carries a one-time secret, as the sender hands it to a {@link MailSecretSource}. */
export interface SecretMailRow {
  id: string;
  template: string;
  to: string;
  lang: string | null;
  /** The mail's variables that are not secret. */
  vars: unknown;
  /** What the secret is made from (a code counter, a link nonce, a request): never the secret. */
  secretRef: unknown;
}

/** A secret mail made ready to send: address, language and every variable, the secrets included. */
export interface RevealedMail {
  to: string;
  lang: Lang;
  vars: Record<string, string | number>;
}

/**
 * Makes the secrets of a queued mail again at send time (codes and link tokens are derived from
 * APP_SECRET, so nothing secret is written down). `null`: there is nothing to send (a reset request
 * for a username without an account), and the row is removed.
 */
export interface MailSecretSource {
  reveal(row: SecretMailRow): Promise<RevealedMail | null>;
}

/** How a secret looks in the stored copy of a mail (`Outbox.text`). */
export const MASKED_SECRET = '••••••••';
