import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptchaService } from '../../src/services/captcha/captcha.js';
import { CAPTCHA_CHARS, drawCaptcha, randomCaptchaText } from '../../src/services/captcha/image.js';
import { SETUPS, uniqueName } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';

describe('captcha image', () => {
  it('draws a PNG and a terminal picture from unambiguous characters', () => {
    const img = drawCaptcha('hN7qE');
    expect(img.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(img.terminal).toMatch(/[▀▄█]/);
    expect(img.terminal.split('\n').length).toBeGreaterThan(3);
    expect(CAPTCHA_CHARS).not.toMatch(/[0Oo1lIi]/);
    const texts = Array.from({ length: 200 }, () => randomCaptchaText());
    for (const t of texts) expect(t).toMatch(new RegExp(`^[${CAPTCHA_CHARS}]{5}$`));
    expect(new Set(texts).size).toBeGreaterThan(190);
  });
});

for (const setup of SETUPS) {
  describe(`captcha service on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let svc: CaptchaService;
    beforeAll(async () => {
      app = await testApp(setup);
      svc = new CaptchaService({ store: app.store, clock: app.clock, db: app.db, log: app.log, secret: 'k'.repeat(40), testAnswer: 'aB3xK' });
    });
    afterAll(async () => {
      await app?.close();
    });
    const chat = () => `test:${uniqueName('c')}`;

    it('accepts the exact answer once, ignoring surrounding spaces', async () => {
      const c = chat();
      expect((await svc.issue(c)).kind).toBe('image');
      expect(await svc.check(c, '  aB3xK \n')).toEqual({ outcome: 'solved' });
      expect(await svc.check(c, 'aB3xK')).toEqual({ outcome: 'expired' });
    });

    it('is case-sensitive, and a wrong answer uses the image up', async () => {
      const c = chat();
      await svc.issue(c);
      expect(await svc.check(c, 'ab3xk')).toEqual({ outcome: 'wrong', left: 4 });
      expect(await svc.check(c, 'aB3xK')).toEqual({ outcome: 'expired' });
      await svc.issue(c);
      expect(await svc.check(c, 'AB3XK')).toEqual({ outcome: 'wrong', left: 3 });
    });

    it('keeps only a keyed hash in the store, per chat', async () => {
      const c = chat();
      await svc.issue(c);
      const stored = await app.store.get(`captcha:answer:${c}`);
      expect(Object.keys(JSON.parse(stored!) as object).sort()).toEqual(['expiresAt', 'hash', 'nonce']);
      expect(stored).not.toContain('aB3xK');
      expect(stored!.toLowerCase()).not.toContain('ab3xk');
      // Another chat cannot use this chat's challenge.
      expect(await svc.check(chat(), 'aB3xK')).toEqual({ outcome: 'expired' });
    });

    it('expires answers after the policy time, judged by the clock', async () => {
      const c = chat();
      await svc.issue(c);
      app.clock.advance(svc.policy.ttlMs + 1);
      expect(await svc.check(c, 'aB3xK')).toEqual({ outcome: 'expired' });
      await svc.issue(c);
      app.clock.advance(svc.policy.ttlMs - 1000);
      expect(await svc.check(c, 'aB3xK')).toEqual({ outcome: 'solved' });
    });

    it('pauses a chat after 5 wrong answers in a row, raises an alert, and lifts the pause later', async () => {
      const c = chat();
      // A right answer resets the run of wrong ones.
      for (let i = 0; i < 4; i++) {
        await svc.issue(c);
        expect((await svc.check(c, 'nope')).outcome).toBe('wrong');
      }
      await svc.issue(c);
      expect(await svc.check(c, 'aB3xK')).toEqual({ outcome: 'solved' });
      for (let i = 0; i < 4; i++) {
        await svc.issue(c);
        expect(await svc.check(c, 'nope')).toEqual({ outcome: 'wrong', left: 4 - i });
      }
      await svc.issue(c);
      expect(await svc.check(c, 'nope')).toEqual({ outcome: 'paused', minutes: 5 });
      expect(await svc.issue(c)).toEqual({ kind: 'paused', minutes: 5 });
      expect(await svc.check(c, 'aB3xK')).toEqual({ outcome: 'paused', minutes: 5 });
      const alerts = await app.db.prisma.alert.findMany({ where: { kind: 'captcha-abuse' } });
      expect(alerts.some((a) => (a.details as { chatKey?: string }).chatKey === c)).toBe(true);
      // Other chats are not affected.
      const other = chat();
      expect((await svc.issue(other)).kind).toBe('image');
      app.clock.advance(svc.policy.pauseMs - 30_000);
      expect(await svc.issue(c)).toEqual({ kind: 'paused', minutes: 1 });
      app.clock.advance(31_000);
      expect((await svc.issue(c)).kind).toBe('image');
      expect(await svc.check(c, 'aB3xK')).toEqual({ outcome: 'solved' });
    });

    it('uses CAPTCHA_TEST_ANSWER from the configuration, and random answers without it', async () => {
      const c = chat();
      await app.services.captcha.issue(c);
      expect(await app.services.captcha.check(c, 'TEST42')).toEqual({ outcome: 'solved' });
      const random = new CaptchaService({ store: app.store, clock: app.clock, db: app.db, log: app.log, secret: 'k'.repeat(40) });
      await random.issue(c);
      expect((await random.check(c, 'TEST42')).outcome).toBe('wrong');
    });
  });
}
