import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { sendPendingMail } from '../../../src/services/mail/sender.js';
import { dispatchNotices } from '../../../src/app/notices.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { startTestSmtp, type TestSmtp } from '../../support/smtp.js';
import { allDbText, CANARY, uname } from './helpers.js';
import { standalone } from '../../support/secrets.js';

for (const setup of SETUPS) {
  describe(`onboarding journey on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let smtp: TestSmtp;
    beforeAll(async () => {
      smtp = await startTestSmtp();
      app = await testApp(setup, { SMTP_URL: smtp.url, PUBLIC_BOT_USERNAME: 'omnipay_test_bot' });
    });
    afterAll(async () => {
      await app?.close();
      await smtp?.stop();
    });

    /** Sends what is queued and returns the newest mail the SMTP server received. */
    const deliver = async (n: number) => {
      await sendPendingMail(app);
      await smtp.waitFor(n);
      return smtp.received[n - 1]!;
    };

    it('signs up, activates with the e-mailed code, logs in, and logs out; no secret leaks', async () => {
      const chat = new TestChat(app);
      const username = uname('Jane');
      const email = `${username.toLowerCase()}@example.com`;
      const before = smtp.received.length;

      await chat.send('/start');
      expect(chat.buttons).toEqual(expect.arrayContaining(['Sign up', 'Log in', 'Activate account', 'Forgot password', 'Forgot username']));
      expect(chat.buttons).not.toContain('Change password');
      await chat.press('Sign up');
      expect(chat.texts.at(-1)).toContain('Choose a username');
      await chat.send(username);
      await chat.send(email);
      await chat.send('Jane Doe');
      const pw = await chat.send(CANARY);
      expect(pw.outbound[0]).toMatchObject({ kind: 'delete' });
      await chat.send(CANARY);
      expect(chat.texts[0]).toContain('check that the entered information is correct');
      expect(chat.texts[0]).toContain(username);
      expect(chat.texts[0]).not.toContain(CANARY);
      await chat.press('Submit');
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);
      await chat.send('TEST42');
      expect(chat.texts.join('\n')).toContain('verification e-mail has been sent');
      expect(chat.texts.at(-1)).toContain('activation code');

      // The verification e-mail, through real SMTP.
      const verification = await deliver(before + 1);
      expect(verification.envelopeTo).toEqual([email]);
      expect(verification.subject).toContain('Verification e-mail');
      const code = /\b(\d{8})\b/.exec(verification.text)![1]!;
      expect(verification.text).toMatch(/https:\/\/t\.me\/omnipay_test_bot\?start=act_[A-Za-z0-9_-]{32}/);
      expect(verification.html).toContain(code);

      // Paste with spaces around it.
      const pasted = await chat.send(`  ${code}  `);
      expect(pasted.outbound[0]).toMatchObject({ kind: 'delete' });
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);
      await chat.send('TEST42');
      await chat.press('ACTIVATE');
      expect(chat.texts.join('\n')).toContain('Activate success');
      const activated = await deliver(before + 2);
      expect(activated.subject).toContain('now active');
      expect(activated.envelopeTo).toEqual([email]);

      // [OK] leads to log-in.
      await chat.press('OK');
      expect(chat.texts.at(-1)).toContain('not your e-mail address');
      await chat.send(username.toUpperCase()); // usernames ignore case
      await chat.send(CANARY);
      await chat.send('TEST42');
      await chat.press('CONTINUE');
      expect(chat.texts.join('\n')).toContain(`Welcome, ${username}`);
      expect(chat.buttons).toContain('Change password');
      const member = await app.db.prisma.member.findUniqueOrThrow({ where: { usernameKey: username.toLowerCase() } });
      expect(member.status).toBe('active');
      const link = await app.db.prisma.memberChat.findUniqueOrThrow({ where: { memberId: member.id } });
      expect(link.chatKey).toBe(Engine.chatKey('test', chat.chatId));

      await chat.send('/logout');
      expect(chat.texts[0]).toContain('logged out');
      expect(chat.buttons).toContain('Log in');

      // No secret anywhere: logs, the stored conversation, any database column, the e-mails.
      expect(app.logs.text).not.toContain(CANARY);
      expect(app.logs.text).not.toMatch(standalone(code));
      const snap = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(snap!.data).not.toContain(CANARY);
      expect(snap!.data).not.toMatch(standalone(code));
      const dbText = await allDbText(app);
      expect(dbText).not.toContain(CANARY);
      expect(member.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      for (const m of smtp.received) expect(m.text).not.toContain(CANARY);
    });

    it('activates through the deep link in the e-mail, whose token works once', async () => {
      const chat = new TestChat(app);
      const username = uname('link');
      const email = `${username}@example.com`;
      const before = smtp.received.length;
      await chat.send('/signup');
      for (const t of [username, email, 'Link User', CANARY, CANARY]) await chat.send(t);
      await chat.press('Submit');
      await chat.send('TEST42');
      const mail = await deliver(before + 1);
      const token = /start=(act_[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
      const code = /\b(\d{8})\b/.exec(mail.text)![1]!;

      // Another chat (the phone) opens the link: the flow knows whose activation it is.
      const phone = new TestChat(app);
      await phone.send(`/start ${token}`);
      expect(phone.texts.at(-1)).toContain('activation code');
      await phone.send(code);
      await phone.send('TEST42');
      await phone.press('ACTIVATE');
      expect(phone.texts.join('\n')).toContain('Activate success');

      // The same link again: used up, so the flow asks for the username instead.
      const other = new TestChat(app);
      await other.send(`/start ${token}`);
      expect(other.texts.join('\n')).toContain('expired or was already used');
      expect(other.texts.at(-1)).toContain('Which username');
    });

    it('a log-in from another chat ends the session of the first one', async () => {
      const username = uname('two');
      const first = new TestChat(app);
      await first.send('/signup');
      for (const t of [username, `${username}@example.com`, 'Two Chats', CANARY, CANARY]) await first.send(t);
      await first.press('Submit');
      await first.send('TEST42');
      await sendPendingMail(app);
      const mail = smtp.received.filter((m) => m.envelopeTo.includes(`${username}@example.com`)).at(-1)!;
      await first.send(/\b(\d{8})\b/.exec(mail.text)![1]!);
      await first.send('TEST42');
      await first.press('ACTIVATE');
      await first.press('OK');
      await first.send(username);
      await first.send(CANARY);
      await first.send('TEST42');
      await first.press('CONTINUE');
      expect(first.buttons).toContain('Change password');

      const second = new TestChat(app);
      await second.send('/login');
      await second.send(username);
      await second.send(CANARY);
      await second.send('TEST42');
      await second.press('CONTINUE');
      expect(second.texts.join('\n')).toContain('Welcome');
      await dispatchNotices(app);
      expect(first.delivered.join('\n')).toContain('logged in from another chat');
      await first.send('/menu');
      expect(first.buttons).toContain('Log in');
      const m = await app.db.prisma.member.findUniqueOrThrow({ where: { usernameKey: username.toLowerCase() }, include: { chat: true } });
      expect(m.chat!.chatKey).toBe(Engine.chatKey('test', second.chatId));
    });
  });
}
