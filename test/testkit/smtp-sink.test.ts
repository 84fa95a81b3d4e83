import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestSmtp, type TestSmtp } from '../../src/testkit/smtp-sink.js';

describe('the test SMTP sink', () => {
  let smtp: TestSmtp | undefined;
  afterEach(async () => {
    await smtp?.stop();
  });

  it('a client that resets its connection mid-session (a killed assistant) is noted, and the sink goes on receiving', async () => {
    smtp = await startTestSmtp();
    const port = Number(new URL(smtp.url).port);
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      s.once('error', reject);
      // Into a mail transaction (a reset outside one is ignored by smtp-server), then half the message.
      const script = ['EHLO killed.example', 'AUTH PLAIN AHVzZXIAcGFzcw==', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.com>', 'DATA'];
      s.on('data', (chunk: Buffer) => {
        const line = script.shift();
        if (line) s.write(`${line}\r\n`);
        else if (chunk.toString().startsWith('354')) {
          s.write('Subject: cut off\r\n\r\nhalf a mes');
          // Reset (RST), as the kernel does for a process killed mid-send.
          setTimeout(() => {
            s.resetAndDestroy();
            resolve();
          }, 50);
        }
      });
    });
    await expect.poll(() => smtp!.connectionErrors.length).toBeGreaterThan(0);
    expect(smtp.connectionErrors[0]).toMatch(/ECONNRESET/);
    const { createTransport } = await import('nodemailer');
    await createTransport(smtp.url).sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'after the reset', text: 'still here' });
    expect(smtp.received.map((m) => m.subject)).toEqual(['after the reset']);
  });
});
