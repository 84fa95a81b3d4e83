import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { CANARY, makeMember, uname } from './helpers.js';

const HUGE = 'x'.repeat(10_000);
const SQL = "x'); DROP TABLE \"Member\"; --";

/** Sends each bad answer; every one is explained with an example and the question stays open. */
async function refusesAll(chat: TestChat, inputs: string[], expectText: RegExp = /for example|e\.g\.|例/) {
  for (const bad of inputs) {
    await chat.send(bad);
    expect(chat.texts.join('\n'), `answer to ${JSON.stringify(bad.slice(0, 40))}`).toMatch(expectText);
  }
}

for (const setup of SETUPS) {
  describe(`sign-up on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('explains every bad answer with an example and keeps the earlier answers', async () => {
      const taken = uname('Taken');
      await makeMember(app, { username: taken });
      const chat = new TestChat(app);
      const username = uname('ok');
      await chat.send('/signup');
      // Username.
      await refusesAll(chat, ['', '   ', HUGE, '😀😀😀', '\u0001\u0002', 'jane@example.com', 'ab', SQL, 'jane doe']);
      await chat.send('jane@example.com');
      expect(chat.texts[0]).toContain('not an e-mail address');
      await chat.send(taken.toUpperCase());
      expect(chat.texts[0]).toContain('already taken');
      await chat.send(`\u0007${username}`); // control characters are dropped
      expect(chat.texts.at(-1)).toContain('e-mail address');
      // E-mail.
      await refusesAll(chat, ['', HUGE, '🙂@🙂', 'jane', SQL, 'a@b@c.com']);
      await chat.send(`  ${username}@Example.com `);
      expect(chat.texts.at(-1)).toContain('full name');
      // Full name.
      await refusesAll(chat, ['', HUGE, '🙂', SQL, '\u0003']);
      await chat.send('  Jane   Doe ');
      expect(chat.texts.at(-1)).toContain('Choose a password');
      // Password: each refusal says why, with an example; the message is deleted each time.
      for (const [bad, why] of [
        ['', 'too short'],
        ['short', 'too short'],
        [HUGE, 'too long'],
        ['password123', 'most common'],
        [`${username}-secret-1`, 'must not contain your username'],
      ] as const) {
        const r = await chat.send(bad);
        expect(r.outbound[0]).toMatchObject({ kind: 'delete' });
        expect(chat.texts.join('\n')).toContain(why);
        expect(chat.texts.join('\n')).toContain('example');
      }
      await chat.send(CANARY);
      expect(chat.texts.at(-1)).toContain('again');
      const mismatch = await chat.send(`${CANARY}-typo`);
      expect(mismatch.outbound[0]).toMatchObject({ kind: 'delete' });
      expect(chat.texts[0]).toContain('does not match');
      await chat.send(CANARY);
      // The review shows every earlier answer, normalised.
      expect(chat.texts[0]).toContain(`Username: ${username}`);
      expect(chat.texts[0]).toContain(`E-mail: ${username}@Example.com`);
      expect(chat.texts[0]).toContain('Full name: Jane Doe');
      expect(chat.texts[0]).not.toContain(CANARY);
      await chat.send('submit please');
      expect(chat.texts[0]).toContain('choose one of the buttons');
      expect(chat.buttons).toContain('Submit');

      // Edit one answer: back to the review with the others kept.
      await chat.press('Edit full name');
      await chat.send('');
      expect(chat.texts[0]).toContain('example');
      await chat.send('Jane Q Doe');
      expect(chat.texts[0]).toContain('Full name: Jane Q Doe');
      expect(chat.texts[0]).toContain(`Username: ${username}`);

      // CAPTCHA is case-sensitive: the wrong case draws a new image and keeps everything.
      await chat.press('Submit');
      await chat.send('test42');
      expect(chat.texts.join('\n')).toContain('Capitals matter');
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);
      await chat.send('TEST42');
      expect(chat.texts.join('\n')).toContain('verification e-mail has been sent');
      const m = await app.db.prisma.member.findUniqueOrThrow({ where: { usernameKey: username.toLowerCase() } });
      expect(m).toMatchObject({ fullName: 'Jane Q Doe', email: `${username}@Example.com`, emailKey: `${username}@example.com`, status: 'pending' });
      expect(m.pendingExpiresAt!.getTime() - app.clock.now().getTime()).toBeLessThanOrEqual(24 * 3600_000);
      const snap = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(snap!.data).not.toContain(CANARY);
      expect(app.logs.text).not.toContain(CANARY);
    });

    it('asks for the password again when an edited username changes', async () => {
      const chat = new TestChat(app);
      const first = uname('first');
      await chat.send('/signup');
      for (const t of [first, `${first}@example.com`, 'Edit Person', CANARY, CANARY]) await chat.send(t);
      await chat.press('Edit username');
      const second = uname('second');
      await chat.send(second);
      expect(chat.texts.join('\n')).toContain('choose your password again');
      await chat.send(CANARY);
      await chat.send(CANARY);
      expect(chat.texts[0]).toContain(`Username: ${second}`);
      await chat.press('Cancel');
      expect(await app.db.prisma.member.findUnique({ where: { usernameKey: second } })).toBeNull();
    });

    it('answers a sign-up with a registered e-mail exactly like a new one, and creates nothing', async () => {
      const owner = uname('owner');
      await makeMember(app, { username: owner, email: `${owner}@example.com` });
      const run = async (username: string, email: string) => {
        const chat = new TestChat(app);
        await chat.send('/signup');
        for (const t of [username, email, 'Same Answer', CANARY, CANARY]) await chat.send(t);
        await chat.press('Submit');
        await chat.send('TEST42');
        return chat.texts.map((t) => t.replaceAll(email, 'E').replaceAll(username, 'U'));
      };
      const fresh = uname('fresh');
      const squat = uname('squat');
      const a = await run(fresh, `${fresh}@example.com`);
      const b = await run(squat, `${owner}@EXAMPLE.com`);
      expect(b).toEqual(a);
      expect(await app.db.prisma.member.findUnique({ where: { usernameKey: squat } })).toBeNull();
      const mails = await app.db.prisma.outbox.findMany({ where: { to: `${owner}@example.com` } });
      expect(mails.map((x) => x.template)).toEqual(['email-exists']);
      // The activation flow that follows asks for a code like for any sign-up; no code will work.
      const chat = new TestChat(app);
      await chat.send('/activate');
      await chat.send(squat);
      expect(chat.texts.at(-1)).toContain('activation code');
      await chat.send('12345678');
      expect(chat.texts[0]).toContain('not right');
    });

    it('handles messages that arrive while an earlier one is still being handled, in order', async () => {
      const chat = new TestChat(app);
      const username = uname('fast');
      await chat.send('/signup');
      const [r1, r2, r3] = await Promise.all([chat.send(username), chat.send(`${username}@example.com`), chat.send('Fast Typist')]);
      expect(r1.outbound.map((o) => (o.kind === 'text' ? o.text : '')).join()).toContain('e-mail address');
      expect(r2.outbound.map((o) => (o.kind === 'text' ? o.text : '')).join()).toContain('full name');
      expect(r3.outbound.map((o) => (o.kind === 'text' ? o.text : '')).join()).toContain('Choose a password');
    });

    it('shows the sign-up questions in Japanese after /language ja', async () => {
      const chat = new TestChat(app);
      await chat.send('/language ja');
      await chat.send('/signup');
      expect(chat.texts.at(-1)).toContain('ユーザー名');
      await chat.send('a@b');
      expect(chat.texts[0]).toContain('メールアドレスではありません');
    });
  });
}
