import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startAssistant, type Running } from '../../src/app/start.js';
import { enqueueMail } from '../../src/services/mail/outbox.js';
import { kickMail } from '../../src/services/mail/runner.js';
import { mailMessage } from '../../src/services/mail/templates.js';
import { LogCapture } from '../support/app.js';
import { TEST_PG_URL, testDatabase, testStore, uniqueName } from '../support/db.js';

describe('outbox sender in the running assistant without SMTP_URL', () => {
  let running: Running | undefined;
  afterAll(async () => {
    await running?.stop();
  });

  it('prints a queued mail in the console chat within about a second', async () => {
    // PostgreSQL rather than the embedded database: the latter also opens the CLI control socket,
    // which is beside the point here.
    const db = await testDatabase('postgres');
    const store = await testStore('memory', db);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: TEST_PG_URL, DATA_DIR: `/tmp/omnipay-test/${uniqueName('data')}`, APP_SECRET: 'test-secret-0123456789abcdef0123456789abcdef', LOG_LEVEL: 'info' });
    let shown = '';
    const output = new PassThrough();
    output.on('data', (c: Buffer) => (shown += c.toString('utf8')));
    const input = new PassThrough();
    running = await startAssistant(config, { db, store, console: true, input, output, quietMetrics: true, logDestination: new LogCapture() });
    running.app.onClose(() => db.close());
    await db.tx((tx) => enqueueMail(tx, mailMessage('test-mail', 'en', 'newcomer@example.com', { sentAt: 'now', reference: 'CONSOLE1' })));
    kickMail();
    const t0 = Date.now();
    while (!shown.includes('CONSOLE1') && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 25));
    expect(shown).toContain('To: newcomer@example.com');
    expect(shown).toContain('Subject: [OMNIPAY Test E-mail] Delivery check');
    expect(shown).toContain('Reference: CONSOLE1');
    const box = `${config.DATA_DIR}/outbox/`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(shown).toMatch(new RegExp(`\\(saved as ${box}[0-9a-f-]{36}\\.eml\\)`));
    expect(Date.now() - t0).toBeLessThan(1500);
    input.end();
  });
});
