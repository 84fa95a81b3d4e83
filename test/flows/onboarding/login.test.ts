import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { CANARY, logIn, makeMember, uname } from './helpers.js';

for (const setup of SETUPS) {
  describe(`log-in on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    /** Tries a log-in and returns what was said after [CONTINUE]. */
    const attempt = async (chat: TestChat, username: string, password: string) => {
      await logIn(chat, username, password);
      return chat.texts.join('\n');
    };

    it('explains that the username is not the e-mail, and refuses bad usernames with an example', async () => {
      const chat = new TestChat(app);
      await chat.send('/login');
      expect(chat.texts.at(-1)).toContain('not your e-mail address');
      await chat.send('jane@example.com');
      expect(chat.texts[0]).toContain('username is not the e-mail address but the username created at the time of registration');
      for (const bad of ['', 'x'.repeat(10_000), '😀😀😀', "' OR 1=1 --"]) {
        await chat.send(bad);
        expect(chat.texts[0]).toContain('example');
      }
      await chat.send('someone_new');
      expect(chat.texts[0]).toContain('password');
    });

    it('gives one answer for an unknown user and a wrong password, only after the CAPTCHA', async () => {
      const username = uname('lg');
      await makeMember(app, { username });
      const chat = new TestChat(app);
      await chat.send('/login');
      await chat.send(username);
      const typed = await chat.send('wrong-password-1');
      expect(typed.outbound[0]).toMatchObject({ kind: 'delete' });
      // Nothing is revealed yet: the CAPTCHA comes first.
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);
      expect(chat.texts.join('\n')).not.toContain('incorrect');
      await chat.send('TEST42');
      await chat.press('CONTINUE');
      const wrongPw = chat.texts.join('\n');
      expect(wrongPw).toContain('username or password is incorrect');

      const unknown = await attempt(new TestChat(app), uname('nobody'), 'wrong-password-1');
      expect(unknown).toBe(wrongPw);
      // That both cost the same is shown in test/services/members/constant-cost.test.ts.
    });

    it('locks after 5 failures in a row, raises an alert, and opens again after 15 minutes', async () => {
      const username = uname('lock');
      const id = await makeMember(app, { username });
      const chat = new TestChat(app);
      for (let i = 1; i <= 4; i++) expect(await attempt(chat, username, `wrong-password-${i}`)).toContain('incorrect');
      expect(await attempt(chat, username, 'wrong-password-5')).toContain('locked for 15 minutes');
      const alerts = await app.db.prisma.alert.findMany({ where: { memberId: id, kind: 'login-lockout' } });
      expect(alerts).toHaveLength(1);
      // Even the right password is refused while locked.
      expect(await attempt(chat, username, CANARY)).toContain('locked');
      app.clock.advance(15 * 60_000 + 1000);
      expect(await attempt(chat, username, CANARY)).toContain(`Welcome, ${username}`);
      const m = await app.db.prisma.member.findUniqueOrThrow({ where: { id } });
      expect(m.failedLogins).toBe(0);
      expect(app.logs.text).not.toContain(CANARY);
    });

    it('locks an unknown username after 5 failures too, with the same answer', async () => {
      const ghost = uname('ghost');
      const chat = new TestChat(app);
      const answers: string[] = [];
      for (let i = 1; i <= 6; i++) answers.push(await attempt(chat, ghost, `wrong-password-${i}`));
      expect(answers.slice(0, 4).every((a) => a.includes('incorrect'))).toBe(true);
      expect(answers[4]).toContain('locked for 15 minutes');
      expect(answers[5]).toContain('locked');
      app.clock.advance(15 * 60_000 + 1000);
      expect(await attempt(chat, ghost, 'wrong-password-7')).toContain('incorrect');
    });

    it('offers activation to a pending account', async () => {
      const username = uname('pend');
      await makeMember(app, { username, status: 'pending' });
      const chat = new TestChat(app);
      expect(await attempt(chat, username, CANARY)).toContain('not activated yet');
      await chat.press('Activate account');
      expect(chat.texts.at(-1)).toContain('activation code');
      expect(chat.buttons).toContain('Resend code');
    });

    it('sets the chat language to the member’s and outputs a session bound to this chat', async () => {
      const username = uname('ja');
      const id = await makeMember(app, { username, language: 'ja' });
      const chat = new TestChat(app);
      await logIn(chat, username);
      expect(chat.texts.join('\n')).toContain('ようこそ');
      const snap = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(snap!.data).toContain(id);
      expect(snap!.data).not.toContain(CANARY);
      await chat.send('/login');
      expect(chat.texts[0]).toBe('すでにログインしています。');
    });

    it('after a log-in required by a members-only flow, goes on to that flow', async () => {
      const username = uname('after');
      await makeMember(app, { username });
      const chat = new TestChat(app);
      await chat.send('/changepassword');
      expect(chat.texts.join('\n')).toContain('log in first');
      await chat.send(username);
      await chat.send(CANARY);
      await chat.send('TEST42');
      await chat.press('CONTINUE');
      expect(chat.texts.at(-1)).toContain('current password');
    });
  });
}
