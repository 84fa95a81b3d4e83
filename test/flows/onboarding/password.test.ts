import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { dispatchNotices } from '../../../src/app/notices.js';
import { verifyPassword } from '../../../src/services/members/password-rules.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { allDbText, CANARY, codeFrom, lastMail, logIn, makeMember, uname } from './helpers.js';

const NEW_PW = 'Second-Canary-4d2a8e';

for (const setup of SETUPS) {
  describe(`password flows on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('forgot password: username → e-mailed code → new password twice; ends the session elsewhere', async () => {
      const username = uname('fp');
      const email = `${username}@example.com`;
      const id = await makeMember(app, { username, email });
      const elsewhere = new TestChat(app);
      await logIn(elsewhere, username);

      const chat = new TestChat(app);
      await chat.send('/start');
      await chat.press('Forgot password');
      await chat.send('me@example.com');
      expect(chat.texts[0]).toContain('not the e-mail address');
      await chat.send(username);
      // The CAPTCHA guards the e-mail: nothing is asked for before it is solved.
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);
      expect(await lastMail(app, email, 'password-reset-code')).toBeNull();
      await chat.send('TEST42');
      expect(chat.texts.join('\n')).toContain('code is on its way');
      const code = await codeFrom(app, email, 'password-reset-code');
      await chat.send('nope');
      expect(chat.texts[0]).toContain('for example: 12345678');
      const r = await chat.send(` ${code} `);
      expect(r.outbound[0]).toMatchObject({ kind: 'delete' });
      expect(chat.texts.at(-1)).toContain('new password');
      await chat.send('password123');
      expect(chat.texts[0]).toContain('most common');
      await chat.send(`${username}1234567`);
      expect(chat.texts[0]).toContain('must not contain your username');
      await chat.send(NEW_PW);
      await chat.send(`${NEW_PW}x`);
      expect(chat.texts[0]).toContain('does not match');
      await chat.send(NEW_PW);
      expect(chat.texts.join('\n')).toContain('password has been changed');
      // Goes on to log in.
      expect(chat.texts.at(-1)).toContain('username');

      const m = await app.db.prisma.member.findUniqueOrThrow({ where: { id }, include: { chat: true } });
      expect(await verifyPassword(m.passwordHash, NEW_PW)).toBe(true);
      expect(m.chat).toBeNull();
      await dispatchNotices(app);
      expect(elsewhere.delivered.join('\n')).toContain('password was changed');
      await elsewhere.send('/menu');
      expect(elsewhere.buttons).toContain('Log in');
      const mails = await app.db.prisma.outbox.findMany({ where: { to: email }, orderBy: { createdAt: 'asc' } });
      expect(mails.map((x) => x.template)).toEqual(['password-reset-code', 'password-changed']);

      // The code works once.
      const again = new TestChat(app);
      await again.send('/forgotpassword');
      await again.send(username);
      await again.send('TEST42');
      await again.send(code);
      // Asking again within a minute sends no new code; the old one is used up.
      expect(again.texts).toEqual(['That code has already been used. Press [Resend code] for a new one.']);
      for (const secret of [CANARY, NEW_PW]) {
        expect(app.logs.text).not.toContain(secret);
        expect(await allDbText(app)).not.toContain(secret);
        expect((await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId)))!.data).not.toContain(secret);
      }
    });

    it('forgot password answers an unknown username like a known one', async () => {
      const username = uname('known');
      await makeMember(app, { username });
      const a = new TestChat(app);
      await a.send('/forgotpassword');
      await a.send(username);
      await a.send('TEST42');
      const b = new TestChat(app);
      await b.send('/forgotpassword');
      await b.send(uname('ghost'));
      await b.send('TEST42');
      expect(b.texts).toEqual(a.texts);
      await b.send('12345678');
      expect(b.texts[0]).toContain('not right');
    });

    it('forgot username: sends the username to a registered address; the same answer otherwise', async () => {
      const username = uname('fu');
      const email = `${username}@example.com`;
      await makeMember(app, { username, email });
      const a = new TestChat(app);
      await a.send('/forgotusername');
      for (const bad of ['', 'x'.repeat(10_000), '🙂', 'jane', "' OR 1=1"]) {
        await a.send(bad);
        expect(a.texts[0]).toContain('for example: jane@example.com');
      }
      await a.send(email.toUpperCase());
      expect(a.replies.some((r) => r.kind === 'image')).toBe(true);
      await a.send('TEST42');
      const b = new TestChat(app);
      await b.send('/forgotusername');
      const nobody = `${uname('nobody')}@example.com`;
      await b.send(nobody);
      await b.send('TEST42');
      expect(b.texts).toEqual(a.texts);
      const mail = await lastMail(app, email, 'username-reminder');
      expect(mail!.text).toContain(username);
      expect(await lastMail(app, nobody)).toBeNull();
    });

    it('change password: current → new twice; other sessions end; e-mail sent', async () => {
      const username = uname('cp');
      const email = `${username}@example.com`;
      const id = await makeMember(app, { username, email });
      const chat = new TestChat(app);
      await logIn(chat, username);
      await chat.press('Change password');
      await chat.send('not-my-password');
      expect(chat.texts[0]).toContain('2 tries left');
      await chat.send(CANARY);
      expect(chat.texts.at(-1)).toContain('new password');
      await chat.send('');
      expect(chat.texts[0]).toContain('too short');
      await chat.send('02/29/2024');
      expect(chat.texts).toEqual(['That password would be easy to guess: dates are easy to guess. Avoid dates and years that are linked to you. Please choose another, for example a few unrelated words like: blue-kettle-rain-42']);
      await chat.send('/language ja');
      await chat.send('/changepassword');
      await chat.send(CANARY);
      await chat.send('02/29/2024');
      expect(chat.texts).toEqual(['そのパスワードは推測されやすいです。日付は推測されやすいです。ご自身に関係のある日付や年は避けてください。別のパスワードにしてください（例：blue-kettle-rain-42 のように関係のない単語を組み合わせる）。']);
      await chat.send('/language en');
      await chat.send('/changepassword');
      await chat.send(CANARY);
      await chat.send(NEW_PW);
      await chat.send(NEW_PW);
      expect(chat.texts.join('\n')).toContain('password has been changed');
      // This chat stays logged in.
      expect(chat.buttons).toContain('Change password');
      const m = await app.db.prisma.member.findUniqueOrThrow({ where: { id }, include: { chat: true } });
      expect(await verifyPassword(m.passwordHash, NEW_PW)).toBe(true);
      expect(m.chat!.chatKey).toBe(Engine.chatKey('test', chat.chatId));
      expect((await app.db.prisma.outbox.findFirst({ where: { to: email, template: 'password-changed' } }))).not.toBeNull();
      expect(app.logs.text).not.toContain(NEW_PW);
    });

    it('change password locks for LOGIN_LOCK_MINUTES after three wrong current passwords, even in a new flow', async () => {
      const username = uname('cp3');
      await makeMember(app, { username });
      const chat = new TestChat(app);
      await logIn(chat, username);
      await chat.send('/changepassword');
      for (let i = 0; i < 3; i++) await chat.send(`wrong-${i}-password`);
      expect(chat.texts[0]).toBe('There were too many wrong current passwords in a row, so for your security changing the password is locked for 15 minutes. Nothing was changed. If you have forgotten it, log out and choose Forgot password.');
      expect(chat.buttons).toContain('Change password');
      await chat.send('/changepassword');
      await chat.send(CANARY);
      expect(chat.texts[0]).toContain('locked for 15 minutes');
      app.clock.advance(15 * 60_000 + 1000);
      // The idle session ended meanwhile too.
      await logIn(chat, username);
      await chat.send('/changepassword');
      await chat.send(CANARY);
      expect(chat.texts.at(-1)).toContain('Choose a new password');
    });
  });
}
