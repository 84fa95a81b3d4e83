import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Clock } from '../../lib/clock.js';
import { failpoint } from '../../lib/failpoints.js';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../../infra/db/database.js';
import { ensurePrivateDir } from '../../infra/private-dir.js';
import { raiseAlert } from '../alerts.js';
import type { MailSecretSource } from './secrets.js';
import { renderMail, type MailTemplateName, type MailTemplateVars } from './templates.js';

/** What a sending pass needs (an `App` has all of it; tests may pass a second process's view). */
export interface MailHost {
  config: Config;
  db: Database;
  clock: Clock;
  log: Logger;
  /** Makes the one-time secrets of secret mails again at send time (an app has the members' one). */
  mailSecrets?: MailSecretSource;
}

/** Delays before the 2nd, 3rd … attempt; after the last one the mail is marked failed. */
export const MAIL_BACKOFF_MS = [5_000, 15_000, 60_000, 5 * 60_000, 15 * 60_000, 3600_000, 3 * 3600_000];
/** Attempts before a mail is given up (status `failed`, alert `mail-undeliverable`). */
export const MAIL_MAX_ATTEMPTS = MAIL_BACKOFF_MS.length + 1;
/** A claimed row is retried after this long if its sender died mid-send. */
const LEASE_MS = 2 * 60_000;
const BATCH = 20;

/** Outcome counts of one pass. */
export interface MailPass {
  sent: number;
  retrying: number;
  failed: number;
}

/** A mail as it was handed to the transport (the secrets in it made at send time). */
export interface SentMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  template: string;
}

/**
 * Shows a mail that was not sent by SMTP to the person at the console (see {@link setMailPrinter}):
 * the printable text, and the mail itself (test tools collect it as the mail that went out).
 */
export type MailPrinter = (text: string, mail: SentMail) => void;

const printers = new WeakMap<object, MailPrinter>();
const transports = new WeakMap<object, { url: string | undefined; t: Transporter }>();

/**
 * Where mails go when `SMTP_URL` is unset: printed by this function (the console chat registers its
 * `print`), and outside production also written to `DATA_DIR/outbox/<id>.eml`. Keyed by the app, so
 * parallel test apps stay apart.
 */
export function setMailPrinter(host: object, print: MailPrinter | null): void {
  if (print) printers.set(host, print);
  else printers.delete(host);
}

/** The nodemailer transport of a host: SMTP from `SMTP_URL`, else a buffer that builds the .eml. */
function transportOf(host: MailHost): Transporter {
  const url = host.config.SMTP_URL;
  const cached = transports.get(host);
  if (cached && cached.url === url) return cached.t;
  // The URL carries host, port, TLS (smtps:) and credentials; timeouts keep a dead server from stalling the loop.
  const t = url
    ? nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  transports.set(host, { url, t });
  return t;
}

/** Closes a host's SMTP transport (runner stop). */
export function closeMailTransport(host: object): void {
  transports.get(host)?.t.close();
  transports.delete(host);
}

/**
 * One pass of the outbox sender: claims due `pending` rows one by one with a conditional update
 * (attempts and due time must be unchanged, so two processes never both send a row under normal
 * operation), delivers each, and marks it sent — or schedules a retry with backoff, or after
 * {@link MAIL_MAX_ATTEMPTS} marks it failed and raises a `mail-undeliverable` alert.
 * Without `SMTP_URL` a mail is printed (see setMailPrinter) and, outside production, written to
 * `DATA_DIR/outbox/<id>.eml` (0600 in a 0700 folder). A mail with a secret is rendered here, its
 * secret made again by the host's `mailSecrets`.
 */
export async function sendPendingMail(host: MailHost): Promise<MailPass> {
  const pass: MailPass = { sent: 0, retrying: 0, failed: 0 };
  const now = host.clock.now();
  const due = await host.db.prisma.outbox.findMany({
    where: { status: 'pending', nextAttemptAt: { lte: now } },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  for (const row of due) {
    const claimed = await host.db.prisma.outbox.updateMany({
      where: { id: row.id, status: 'pending', attempts: row.attempts },
      data: { attempts: row.attempts + 1, nextAttemptAt: new Date(host.clock.now().getTime() + LEASE_MS) },
    });
    if (claimed.count !== 1) continue;
    const attempts = row.attempts + 1;
    try {
      try {
        failpoint('outbox.send.before');
        await deliver(host, row);
        failpoint('outbox.send.after');
      } catch (err) {
        if (!(err instanceof NothingToSend)) throw err;
        await host.db.prisma.outbox.deleteMany({ where: { id: row.id } });
        continue;
      }
      await host.db.prisma.outbox.update({ where: { id: row.id }, data: { status: 'sent', sentAt: host.clock.now(), lastError: null } });
      host.log.info({ mail: row.id, template: row.template, attempts }, 'mail sent');
      pass.sent++;
    } catch (err) {
      const error = describe(err);
      if (attempts >= MAIL_MAX_ATTEMPTS) {
        await host.db.tx(async (tx) => {
          await tx.outbox.update({ where: { id: row.id }, data: { status: 'failed', lastError: error } });
          await raiseAlert(tx, { kind: 'mail-undeliverable', details: { outboxId: row.id, template: row.template, attempts, error } });
        });
        host.log.error({ mail: row.id, template: row.template, attempts, err: error }, 'mail undeliverable; gave up');
        pass.failed++;
      } else {
        const delay = MAIL_BACKOFF_MS[attempts - 1] ?? MAIL_BACKOFF_MS.at(-1)!;
        await host.db.prisma.outbox.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(host.clock.now().getTime() + delay), lastError: error } });
        host.log.warn({ mail: row.id, template: row.template, attempts, retryInMs: delay, err: error }, 'mail not sent; will retry');
        pass.retrying++;
      }
    }
  }
  return pass;
}

interface Row {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  template: string;
  createdAt: Date;
  lang: string | null;
  vars: unknown;
  secretRef: unknown;
}

/** Nothing to send: the row was a request for nobody (removed, not retried). */
class NothingToSend extends Error {}

/** The mail to hand to the transport: the row as stored, or for a secret mail rendered now with its secrets. */
async function contentOf(host: MailHost, row: Row): Promise<SentMail> {
  if (row.secretRef === null || row.secretRef === undefined) return { id: row.id, to: row.to, subject: row.subject, text: row.text, ...(row.html ? { html: row.html } : {}), template: row.template };
  if (!host.mailSecrets) throw new Error('no secret source to make this mail with');
  const revealed = await host.mailSecrets.reveal(row);
  if (!revealed) throw new NothingToSend();
  const r = renderMail(row.template as MailTemplateName, revealed.lang, revealed.vars as MailTemplateVars[MailTemplateName]);
  return { id: row.id, to: revealed.to, subject: r.subject, text: r.text, html: r.html, template: row.template };
}

async function deliver(host: MailHost, row: Row): Promise<void> {
  const mail = await contentOf(host, row);
  const transport = transportOf(host);
  const message = {
    from: host.config.MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    // A stable Message-ID lets a receiving server drop a duplicate if a retry follows a lost reply.
    messageId: `<${row.id}@omnipay.outbox>`,
    date: row.createdAt,
    headers: { 'X-Omnipay-Template': row.template },
  };
  const info = await transport.sendMail(message);
  if (host.config.SMTP_URL) return;
  const print = printers.get(host);
  // The copy on disk holds the secret in clear: a development aid only, never in production.
  let file: string | null = null;
  if (host.config.NODE_ENV !== 'production') {
    const dir = resolve(host.config.DATA_DIR, 'outbox');
    ensurePrivateDir(dir);
    file = join(dir, `${row.id}.eml`);
    writeFileSync(file + '.tmp', info.message as Buffer, { mode: 0o600 });
    renameSync(file + '.tmp', file);
  } else if (!print) {
    throw new Error('not delivered: SMTP_URL is not set and nobody is at the console');
  }
  print?.(printable(mail, host.config.MAIL_FROM, file), mail);
}

/** The console view of a mail: headers, the plain text, and where the .eml is. */
function printable(mail: SentMail, from: string, file: string | null): string {
  const rule = '─'.repeat(60);
  return [`\n${rule}`, `E-mail (no SMTP_URL set, so it is shown here)`, `From: ${from}`, `To: ${mail.to}`, `Subject: ${mail.subject}`, '', mail.text.trimEnd(), '', ...(file ? [`(saved as ${file})`] : []), rule].join('\n');
}

/** A short, secret-free description of a delivery error (SMTP replies, connection errors). */
function describe(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const parts = [e.code, e.responseCode ? String(e.responseCode) : undefined, e.message?.split('\n')[0]].filter(Boolean);
  return parts.join(' ').slice(0, 300) || 'unknown error';
}
