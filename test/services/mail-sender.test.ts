import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/infra/db/database.js';
import { enqueueMail } from '../../src/services/mail/outbox.js';
import { kickMail, startMailSender } from '../../src/services/mail/runner.js';
import { MAIL_BACKOFF_MS, MAIL_MAX_ATTEMPTS, sendPendingMail, setMailPrinter, type MailHost } from '../../src/services/mail/sender.js';
import { mailMessage } from '../../src/services/mail/templates.js';
import { SETUPS, TEST_PG_URL, uniqueName } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';

/** Queues `n` test mails to a fresh address; returns the address and the row ids. */
async function queue(app: TestApp, n = 1, lang: 'en' | 'ja' = 'en') {
  const to = `${uniqueName('u')}@example.com`;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await app.db.tx((tx) => enqueueMail(tx, mailMessage('test-mail', lang, to, { sentAt: '2026-11-28 14:00', reference: `REF${i}X${to.slice(2, 8)}` }))));
  }
  return { to, ids };
}

for (const setup of SETUPS) {
  describe(`outbox sender on ${setup.db} + ${setup.store}`, () => {
    let smtp: TestSmtp;
    let app: TestApp;
    let fileApp: TestApp;
    beforeAll(async () => {
      smtp = await startTestSmtp();
      app = await testApp(setup, { SMTP_URL: smtp.url, MAIL_FROM: 'OMNIPAY <no-reply@omnipay.test>' });
      fileApp = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
      await fileApp?.close();
      await smtp?.stop();
    });
    const mailsTo = (to: string) => smtp.received.filter((m) => m.envelopeTo.includes(to));

    it('delivers queued mail through SMTP once, with subject, recipient, text and HTML', async () => {
      const { to, ids } = await queue(app, 2);
      const pass = await sendPendingMail(app);
      expect(pass.sent).toBeGreaterThanOrEqual(2);
      const got = mailsTo(to);
      expect(got).toHaveLength(2);
      expect(got[0]!.subject).toBe('[OMNIPAY Test E-mail] Delivery check');
      expect(got[0]!.to).toBe(to);
      expect(got[0]!.user).toBe('user');
      expect(got[0]!.parsed.from?.text).toContain('no-reply@omnipay.test');
      expect(got[0]!.text).toContain('e-mail delivery works');
      expect(got[0]!.html).toContain('<strong');
      expect(got.map((m) => m.parsed.messageId).sort()).toEqual(ids.map((id) => `<${id}@omnipay.outbox>`).sort());
      const rows = await app.db.prisma.outbox.findMany({ where: { to } });
      expect(rows.every((r) => r.status === 'sent' && r.sentAt && r.attempts === 1)).toBe(true);
      await sendPendingMail(app);
      expect(mailsTo(to)).toHaveLength(2);
      expect(app.logs.text).not.toContain('REF0X');
    });

    it('retries with backoff after the SMTP server was down, and delivers when it is back', async () => {
      await smtp.stop();
      const { to, ids } = await queue(app);
      expect((await sendPendingMail(app)).retrying).toBe(1);
      let row = await app.db.prisma.outbox.findUniqueOrThrow({ where: { id: ids[0]! } });
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.lastError).toBe(`ESOCKET connect ECONNREFUSED 127.0.0.1:${new URL(smtp.url).port}`);
      await smtp.start();
      await sendPendingMail(app); // not due yet
      expect(mailsTo(to)).toHaveLength(0);
      app.clock.advance(MAIL_BACKOFF_MS[0]! + 1);
      await sendPendingMail(app);
      expect(mailsTo(to)).toHaveLength(1);
      row = await app.db.prisma.outbox.findUniqueOrThrow({ where: { id: ids[0]! } });
      expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    });

    it(`gives up after ${MAIL_MAX_ATTEMPTS} attempts, marks the mail failed and alerts support`, async () => {
      await smtp.stop();
      try {
        const { ids } = await queue(app);
        for (let i = 0; i < MAIL_MAX_ATTEMPTS; i++) {
          await sendPendingMail(app);
          app.clock.advance((MAIL_BACKOFF_MS[i] ?? 0) + 1);
        }
        const row = await app.db.prisma.outbox.findUniqueOrThrow({ where: { id: ids[0]! } });
        expect(row).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
        const alerts = await app.db.prisma.alert.findMany({ where: { kind: 'mail-undeliverable' } });
        expect(alerts.some((a) => (a.details as { outboxId?: string }).outboxId === ids[0])).toBe(true);
      } finally {
        await smtp.start();
      }
    });

    it('without SMTP_URL writes DATA_DIR/outbox/<id>.eml (RFC 822) and prints the mail', async () => {
      const printed: string[] = [];
      setMailPrinter(fileApp, (t) => printed.push(t));
      const { to, ids } = await queue(fileApp, 1, 'ja');
      expect((await sendPendingMail(fileApp)).sent).toBeGreaterThanOrEqual(1);
      const file = join(resolve(fileApp.config.DATA_DIR, 'outbox'), `${ids[0]}.eml`);
      expect(existsSync(file)).toBe(true);
      const raw = readFileSync(file);
      expect(raw.includes('\r\n')).toBe(true);
      const parsed = await simpleParser(raw);
      expect(parsed.subject).toBe('【OMNIPAY テストメール】配信確認');
      expect(parsed.text).toContain('メール配信は正常です');
      expect(parsed.messageId).toBe(`<${ids[0]}@omnipay.outbox>`);
      const shown = printed.join('\n');
      expect(shown).toContain(`To: ${to}`);
      expect(shown).toContain('メール配信は正常です');
      expect(shown).toContain(file);
      expect((await fileApp.db.prisma.outbox.findUniqueOrThrow({ where: { id: ids[0]! } })).status).toBe('sent');
    });

    it('writes the .eml copy readable by the owner only (0600) in a folder only the owner can enter (0700)', async () => {
      const { ids } = await queue(fileApp);
      await sendPendingMail(fileApp);
      const dir = resolve(fileApp.config.DATA_DIR, 'outbox');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, `${ids[0]}.eml`)).mode & 0o777).toBe(0o600);
    });

    it('in production without SMTP_URL prints the mail at the console but writes no .eml copy', async () => {
      const host: MailHost = { ...fileApp, config: { ...fileApp.config, NODE_ENV: 'production', DATA_DIR: resolve(fileApp.config.DATA_DIR, 'production') } };
      const printed: string[] = [];
      setMailPrinter(host, (t) => printed.push(t));
      const { to, ids } = await queue(fileApp);
      await sendPendingMail(host);
      expect(printed.join('\n')).toContain(`To: ${to}`);
      expect(printed.join('\n')).not.toContain('saved as');
      expect(existsSync(join(host.config.DATA_DIR, 'outbox')) ? readdirSync(join(host.config.DATA_DIR, 'outbox')) : []).toEqual([]);
      expect((await fileApp.db.prisma.outbox.findUniqueOrThrow({ where: { id: ids[0]! } })).status).toBe('sent');
    });

    it('in production without SMTP_URL and nobody at the console does not mark a mail sent', async () => {
      const host: MailHost = { ...fileApp, config: { ...fileApp.config, NODE_ENV: 'production', DATA_DIR: resolve(fileApp.config.DATA_DIR, 'production-quiet') } };
      const { ids } = await queue(fileApp);
      await sendPendingMail(host);
      const row = await fileApp.db.prisma.outbox.findUniqueOrThrow({ where: { id: ids[0]! } });
      expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'not delivered: SMTP_URL is not set and nobody is at the console' });
      expect(existsSync(join(host.config.DATA_DIR, 'outbox'))).toBe(false);
    });

    it('the running sender delivers within a second of a kick', async () => {
      const stop = startMailSender(app);
      try {
        await new Promise((r) => setTimeout(r, 150)); // let the first poll pass
        const { to } = await queue(app);
        const before = smtp.received.length;
        const t0 = Date.now();
        kickMail();
        await smtp.waitFor(before + 1, 1000);
        expect(Date.now() - t0).toBeLessThan(1000);
        expect(mailsTo(to)).toHaveLength(1);
      } finally {
        await stop();
      }
    });
  });
}

describe('outbox sender: two processes on one PostgreSQL', () => {
  let smtp: TestSmtp;
  let app: TestApp;
  let other: MailHost & { close(): Promise<void> };
  beforeAll(async () => {
    smtp = await startTestSmtp();
    app = await testApp({ db: 'postgres', store: 'redis' }, { SMTP_URL: smtp.url });
    const db2 = await openPostgres({ url: TEST_PG_URL, schema: (app.db as { schema?: string }).schema!, poolSize: 10 });
    // A second process: its own connection pool and transport, the same database.
    other = { config: app.config, db: db2, clock: app.clock, log: app.log, close: () => db2.close() };
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
    await smtp?.stop();
  });

  it('never delivers a row twice when passes run concurrently', async () => {
    const { to } = await queue(app, 45);
    for (let round = 0; round < 10; round++) {
      await Promise.all([sendPendingMail(app), sendPendingMail(other), sendPendingMail(app), sendPendingMail(other)]);
      if ((await app.db.prisma.outbox.count({ where: { to, status: 'pending' } })) === 0) break;
    }
    const got = smtp.received.filter((m) => m.envelopeTo.includes(to));
    expect(got).toHaveLength(45);
    expect(new Set(got.map((m) => m.parsed.messageId)).size).toBe(45);
    expect(await app.db.prisma.outbox.count({ where: { to, status: 'sent', attempts: 1 } })).toBe(45);
  });
});
