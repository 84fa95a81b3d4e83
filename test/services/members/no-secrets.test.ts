/**
 * Canary test: the activation codes, the deep-link token and the reset code that sign-up, a resend,
 * activation and forgot password e-mail must not appear in any text or JSON column of any table, in
 * the store, or in the logs — only in the mail the transport received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.js';
import { RedisStore } from '../../../src/infra/store/redis.js';
import { MASKED_SECRET } from '../../../src/services/mail/secrets.js';
import { SETUPS, TEST_REDIS_URL, uniqueName } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { everything } from '../../support/at-rest.js';
import { delivered } from '../../support/mailbox.js';
import { CANARY, signUp, uname } from '../../flows/onboarding/helpers.js';
import { standalone } from '../../support/secrets.js';

for (const setup of SETUPS) {
  describe(`no one-time code or link token at rest on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let prefix: string | null = null;
    beforeAll(async () => {
      const env = { PUBLIC_BOT_USERNAME: 'omnipay_test_bot' };
      if (setup.store === 'redis') {
        prefix = `${uniqueName('omnipay-canary')}:`;
        const store = await RedisStore.connect(TEST_REDIS_URL, prefix);
        app = await testApp(setup, env, { store });
        app.onClose(() => store.close());
      } else {
        app = await testApp(setup, env);
      }
    });
    afterAll(async () => {
      await app?.close();
    });

    it('keeps codes and tokens only in the mails sent: sign-up, resend, activation by link, forgot password', async () => {
      const username = uname('canary');
      const email = `${username}@example.com`;
      const mailsTo = async (template: string) => (await delivered(app)).filter((m) => m.to === email && m.template === template);

      const chat = new TestChat(app);
      await signUp(chat, { username, email });
      const first = (await mailsTo('verification'))[0]!;
      const code1 = /\b(\d{8})\b/.exec(first.text)![1]!;
      const token1 = /start=act_([A-Za-z0-9_-]{32})/.exec(first.text)![1]!;
      expect(first.html).toContain(code1);

      app.clock.advance(61_000);
      await chat.press('Resend code');
      const second = (await mailsTo('verification'))[1]!;
      const code2 = /\b(\d{8})\b/.exec(second.text)![1]!;
      const token2 = /start=act_([A-Za-z0-9_-]{32})/.exec(second.text)![1]!;
      expect(code2).not.toBe(code1);

      // Activation through the newest e-mail's link, with its code.
      const linked = new TestChat(app);
      await linked.send(`/start act_${token2}`);
      await linked.send(code2);
      await linked.send('TEST42');
      await linked.press('ACTIVATE');
      expect(linked.texts.join('\n')).toContain('Activate success');

      const reset = new TestChat(app);
      await reset.send('/forgotpassword');
      await reset.send(username);
      await reset.send('TEST42');
      const resetMail = (await mailsTo('password-reset-code'))[0]!;
      const resetCode = /\b(\d{8})\b/.exec(resetMail.text)![1]!;
      await reset.send(resetCode);
      await reset.send('Second-Canary-4d2a8e');
      await reset.send('Second-Canary-4d2a8e');
      expect(reset.texts.join('\n')).toContain('password has been changed');

      const all = await everything(app, prefix, [chat, linked, reset].map((c) => Engine.chatKey('test', c.chatId)));
      expect(all.length).toBeGreaterThan(50);
      const secrets = [code1, code2, resetCode, token1, token2, CANARY];
      const leaks = all.filter((line) => secrets.some((s) => standalone(s).test(line)));
      expect(leaks.map((l) => l.slice(0, 300))).toEqual([]);
      // The scan would have seen them: the stored copies of the mails are there, with the secret masked.
      const stored = all.filter((l) => l.startsWith('Outbox.text: ') && l.includes(MASKED_SECRET));
      expect(stored.length).toBe(3);
      expect(all.some((l) => l.startsWith('Outbox.text: ') && l.includes(username))).toBe(true);
    });
  });
}
