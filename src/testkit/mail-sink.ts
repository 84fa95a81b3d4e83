import type { App } from '../app/app.js';
import { sendPendingMail, setMailPrinter, type SentMail } from '../services/mail/sender.js';
import { startTestSmtp, type TestSmtp } from './smtp-sink.js';

/** An e-mail as it reached the transport: what the person would find in their inbox. */
export type SinkMail = SentMail;

/**
 * Where a script's e-mails are read: from the transport they went out by, never from the outbox
 * rows (which hold no secrets). On the console sender (no SMTP_URL) the mails the sender printed;
 * with `smtp`, a real SMTP server in this process that the app's SMTP_URL points at. The script
 * world owns one for all its apps (restarts included).
 */
export class MailSink {
  private readonly printed: SinkMail[] = [];

  private constructor(private readonly smtp: TestSmtp | null) {}

  /** A sink on the console sender, or (`smtp`) on a local SMTP server. */
  static async open(kind: 'console' | 'smtp'): Promise<MailSink> {
    return new MailSink(kind === 'smtp' ? await startTestSmtp() : null);
  }

  /** Configuration the app needs to send into this sink (SMTP_URL for the SMTP server). */
  env(): Record<string, string> {
    return this.smtp ? { SMTP_URL: this.smtp.url } : {};
  }

  /** Collects what `app`'s console sender prints (call for every app the world opens). */
  attach(app: App): void {
    if (!this.smtp) setMailPrinter(app, (_text, mail) => this.printed.push(mail));
  }

  /** Sends whatever `app` has queued, then returns every mail received so far, oldest first. */
  async deliver(app: App): Promise<SinkMail[]> {
    await sendPendingMail(app);
    if (!this.smtp) return [...this.printed];
    return this.smtp.received.map((m) => ({
      id: /^<(.+)@omnipay\.outbox>$/.exec(m.parsed.messageId ?? '')?.[1] ?? m.parsed.messageId ?? '',
      to: m.envelopeTo.join(', '),
      subject: m.subject,
      text: m.text,
      ...(m.html ? { html: m.html } : {}),
      template: String(m.parsed.headers.get('x-omnipay-template') ?? ''),
    }));
  }

  /** Stops the SMTP server, if any. */
  async close(): Promise<void> {
    await this.smtp?.stop();
  }
}
