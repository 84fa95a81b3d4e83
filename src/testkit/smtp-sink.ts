import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the test server accepted, parsed, with the SMTP envelope and the user who logged in. */
export interface ReceivedMail {
  parsed: ParsedMail;
  envelopeTo: string[];
  user: string | undefined;
  subject: string;
  to: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server in this process (smtp-server + mailparser) on a random local port. Collects
 * every message; can be stopped and started again on the same port to play an outage.
 * `url` is what to put in SMTP_URL (with credentials `user:pass`, which it accepts).
 */
export class TestSmtp {
  readonly received: ReceivedMail[] = [];
  /** Errors of client connections (a client killed mid-session resets its socket): noted, not thrown. */
  readonly connectionErrors: string[] = [];
  private server: SMTPServer | null = null;
  private port = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  /** Starts it (first time on a free port, later on the same one). */
  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onAuth: (auth, _session, cb) => (auth.username === 'user' && auth.password === 'pass' ? cb(null, { user: auth.username }) : cb(new Error('bad credentials'))),
      onData: (stream, session, cb) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
            this.received.push({
              parsed,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              user: session.user as string | undefined,
              subject: parsed.subject ?? '',
              to,
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
            cb();
          })
          .catch((err: Error) => cb(err));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    // Without a listener, SMTPServer's 'error' for one client's reset would crash the whole process.
    server.on('error', (err: Error) => this.connectionErrors.push(`${(err as { code?: string }).code ?? 'error'}: ${err.message}`));
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops it; connections are refused until {@link start} is called again. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** SMTP_URL for this server. */
  get url(): string {
    return `smtp://user:pass@127.0.0.1:${this.port}`;
  }

  /** Resolves once `n` messages in total have arrived (or rejects after `ms`). */
  waitFor(n: number, ms = 5000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${n} mails, got ${this.received.length}`)), ms);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/** Starts a test SMTP server. */
export function startTestSmtp(): Promise<TestSmtp> {
  return new TestSmtp().start();
}
