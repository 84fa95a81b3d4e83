/** A rendered e-mail ready to queue. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Which template made it (for support and tests), e.g. `verification`. */
  template: string;
}
