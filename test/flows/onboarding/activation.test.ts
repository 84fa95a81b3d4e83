import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { CANARY, codeFrom, signUp, uname } from './helpers.js';
import { standalone } from '../../support/secrets.js';

for (const setup of SETUPS) {
  describe(`activation flow on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    /** A chat that just signed up and is asked for the code. */
    const signedUp = async () => {
      const chat = new TestChat(app);
      const username = uname('act');
      const email = `${username}@example.com`;
      await signUp(chat, { username, email });
      expect(chat.texts.at(-1)).toContain('activation code');
      return { chat, username, email, code: await codeFrom(app, email) };
    };
    const wrongOf = (code: string) => (code === '00000000' ? '11111111' : '00000000');

    it('refuses unreadable codes with an example, keeps asking, and deletes every message', async () => {
      const { chat, code } = await signedUp();
      for (const bad of ['', 'x'.repeat(10_000), '🙂', '\u0001', "1' OR '1'='1", 'abc12345', '1234']) {
        const r = await chat.send(bad);
        expect(r.outbound[0]).toMatchObject({ kind: 'delete' });
        expect(chat.texts.join('\n')).toContain('8 digits, for example: 12345678');
      }
      await chat.send(`\t ${code} \n`);
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);
    });

    it('counts wrong codes, then refuses even the right one until a new code is sent', async () => {
      const { chat, email, code } = await signedUp();
      for (let left = 4; left >= 1; left--) {
        await chat.send(wrongOf(code));
        expect(chat.texts[0]).toContain(`${left} ${left === 1 ? 'try' : 'tries'} left`);
      }
      await chat.send(wrongOf(code));
      expect(chat.texts[0]).toContain('Too many wrong tries');
      await chat.send(code);
      expect(chat.texts[0]).toContain('Too many wrong tries');
      app.clock.advance(61_000);
      await chat.press('Resend code');
      expect(chat.texts[0]).toContain('new code is on its way');
      const fresh = await codeFrom(app, email);
      await chat.send(fresh);
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);
    });

    it('says when a code is from an older e-mail, and when a resend is too soon', async () => {
      const { chat, email, code } = await signedUp();
      await chat.press('Resend code');
      expect(chat.texts[0]).toContain('less than a minute ago');
      app.clock.advance(61_000);
      await chat.press('Resend code');
      const fresh = await codeFrom(app, email);
      expect(fresh).not.toBe(code);
      await chat.send(code);
      expect(chat.texts[0]).toContain('from an older e-mail');
      await chat.send(fresh);
      await chat.send('TEST42');
      await chat.press('ACTIVATE');
      expect(chat.texts.join('\n')).toContain('Activate success');
    });

    it('refuses an expired code and a code used before', async () => {
      const { chat, username, email, code } = await signedUp();
      app.clock.advance(31 * 60_000);
      await chat.send(code);
      expect(chat.texts[0]).toContain('expired');
      // Used: activate with a fresh code, then try that code again in a new activation.
      await chat.press('Resend code');
      const fresh = await codeFrom(app, email);
      await chat.send(fresh);
      await chat.send('TEST42');
      await chat.press('ACTIVATE');
      const again = new TestChat(app);
      await again.send('/activate');
      await again.send(username);
      await again.send(fresh);
      // The member is active now, so it is no longer a pending sign-up: no code works.
      expect(again.texts[0]).toContain('That code is not right.');
    });

    it('keeps the code step through a wrong-case CAPTCHA and sends the "account active" e-mail', async () => {
      const { chat, email, code } = await signedUp();
      await chat.send(code);
      await chat.send('test42');
      expect(chat.texts.join('\n')).toContain('Capitals matter');
      await chat.send('TEST42');
      expect(chat.buttons).toContain('ACTIVATE');
      await chat.press('ACTIVATE');
      expect(chat.texts.join('\n')).toContain('Activate success');
      expect(chat.buttons).toEqual(['OK']);
      const mails = await app.db.prisma.outbox.findMany({ where: { to: email }, orderBy: { createdAt: 'asc' } });
      expect(mails.map((m) => m.template)).toEqual(['verification', 'account-activated']);
      const snap = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(snap!.data).not.toMatch(standalone(code));
      expect(snap!.data).not.toContain(CANARY);
      expect(app.logs.text).not.toMatch(standalone(code));
    });

    it('refuses made-up, huge or SQL-looking deep-link tokens and asks for the username', async () => {
      for (const token of ['nope', 'x'.repeat(5000), "abc'; DELETE FROM \"LinkToken\";--", 'A'.repeat(32)]) {
        const chat = new TestChat(app);
        await chat.send(`/start act_${token}`);
        expect(chat.texts.join('\n')).toContain('expired or was already used');
        expect(chat.texts.at(-1)).toContain('Which username');
      }
    });

    it('asks the username first without a link, and answers unknown usernames like known ones', async () => {
      const known = await signedUp();
      const a = new TestChat(app);
      await a.send('/activate');
      expect(a.texts.at(-1)).toContain('Which username');
      await a.send('a@b.c');
      expect(a.texts[0]).toContain('not an e-mail address');
      await a.send(known.username.toUpperCase());
      const b = new TestChat(app);
      await b.send('/activate');
      await b.send(uname('ghost'));
      expect(b.texts.join('\n')).toBe(a.texts.join('\n').replace(known.username.toUpperCase(), ''));
      await b.press('Resend code');
      expect(b.texts[0]).toContain('new code is on its way');
    });
  });
}
