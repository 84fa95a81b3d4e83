import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codes } from '../../../src/services/members/codes.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';
import { codeFrom, makeMember, uname } from '../../flows/onboarding/helpers.js';

for (const setup of SETUPS) {
  describe(`activation codes on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    /** A pending member with one verification e-mail sent, as sign-up leaves it. */
    const pending = async () => {
      const username = uname('c');
      const r = await app.services.members.members.register({ username, email: `${username}@example.com`, fullName: 'Code Test', passwordHash: 'x', lang: 'en' });
      expect(r).toBe('sent');
      const m = await app.db.prisma.member.findUniqueOrThrow({ where: { usernameKey: username } });
      return { id: m.id, email: m.email, code: await codeFrom(app, m.email) };
    };
    const members = () => app.services.members.members;

    it('accepts the right code once, with spaces, dashes or full-width digits around', async () => {
      const p = await pending();
      const spaced = ` ${p.code.slice(0, 4)} ${p.code.slice(4)} `;
      const r = await members().checkActivationCode(p.id, spaced);
      expect(r.ok).toBe(true);
      expect(await members().checkActivationCode(p.id, p.code)).toEqual({ ok: false, reason: 'used' });
      const q = await pending();
      const wide = q.code.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
      expect((await members().checkActivationCode(q.id, wide)).ok).toBe(true);
    });

    it('answers unreadable input without spending a try', async () => {
      const p = await pending();
      for (const bad of ['', 'abcdefgh', '1234', '123456789', '🙂🙂', "1' OR '1'='1"]) {
        expect(await members().checkActivationCode(p.id, bad)).toEqual({ ok: false, reason: 'unreadable' });
      }
      const row = await app.db.prisma.oneTimeCode.findFirstOrThrow({ where: { memberId: p.id } });
      expect(row.attempts).toBe(0);
    });

    it('counts wrong tries and refuses the code after CODE_MAX_ATTEMPTS', async () => {
      const p = await pending();
      const wrong = p.code === '00000000' ? '11111111' : '00000000';
      const lefts: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await members().checkActivationCode(p.id, wrong);
        expect(r).toMatchObject({ ok: false, reason: 'wrong' });
        lefts.push((r as { left: number }).left);
      }
      expect(lefts).toEqual([4, 3, 2, 1]);
      expect(await members().checkActivationCode(p.id, wrong)).toEqual({ ok: false, reason: 'too-many' });
      // Even the right code is refused now: a new one must be sent.
      expect(await members().checkActivationCode(p.id, p.code)).toEqual({ ok: false, reason: 'too-many' });
    });

    it('counts 20 concurrent wrong guesses as tries: only CODE_MAX_ATTEMPTS are checked, and the right code is refused after them', async () => {
      const p = await pending();
      const wrong = p.code === '00000000' ? '11111111' : '00000000';
      const results = await Promise.all(Array.from({ length: 20 }, () => members().checkActivationCode(p.id, wrong)));
      const wrongs = results.filter((r) => !r.ok && r.reason === 'wrong').map((r) => (r as { left: number }).left);
      expect(wrongs.sort()).toEqual([1, 2, 3, 4]);
      expect(results.filter((r) => !r.ok && r.reason === 'too-many')).toHaveLength(16);
      const row = await app.db.prisma.oneTimeCode.findFirstOrThrow({ where: { memberId: p.id } });
      expect(row.attempts).toBe(5);
      expect(await members().checkActivationCode(p.id, p.code)).toEqual({ ok: false, reason: 'too-many' });
    });

    it('of a right code raced with wrong guesses, at most one use succeeds and at most CODE_MAX_ATTEMPTS guesses are checked', async () => {
      const p = await pending();
      const wrong = p.code === '00000000' ? '11111111' : '00000000';
      const results = await Promise.all([...Array.from({ length: 8 }, () => members().checkActivationCode(p.id, wrong)), members().checkActivationCode(p.id, p.code), members().checkActivationCode(p.id, p.code)]);
      expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
      // Only guesses that won a try were checked against the code: never more than CODE_MAX_ATTEMPTS.
      expect(results.filter((r) => r.ok || r.reason === 'wrong').length).toBeLessThanOrEqual(5);
      const row = await app.db.prisma.oneTimeCode.findFirstOrThrow({ where: { memberId: p.id } });
      expect(row.attempts).toBeLessThanOrEqual(5);
    });

    it('expires codes after CODE_TTL_MINUTES', async () => {
      const p = await pending();
      app.clock.advance(30 * 60_000 + 1000);
      expect(await members().checkActivationCode(p.id, p.code)).toEqual({ ok: false, reason: 'expired' });
    });

    it('a resend makes older codes stop working (and says so), and is rate-limited', async () => {
      const p = await pending();
      expect(await members().resendActivation(p.id)).toMatchObject({ sent: false, reason: 'too-soon' });
      app.clock.advance(61_000);
      expect(await members().resendActivation(p.id)).toEqual({ sent: true });
      const fresh = await codeFrom(app, p.email);
      expect(fresh).not.toBe(p.code);
      expect(await members().checkActivationCode(p.id, p.code)).toMatchObject({ ok: false, reason: 'older', left: 4 });
      expect((await members().checkActivationCode(p.id, fresh)).ok).toBe(true);
      // At most 5 codes an hour (sign-up's included).
      for (let i = 0; i < 3; i++) {
        app.clock.advance(61_000);
        expect(await members().resendActivation(p.id)).toEqual({ sent: true });
      }
      app.clock.advance(61_000);
      expect(await members().resendActivation(p.id)).toMatchObject({ sent: false, reason: 'too-many' });
    });

    it('never stores the code or its secret: the database alone cannot make codes', async () => {
      const p = await pending();
      const row = await app.db.prisma.oneTimeCode.findFirstOrThrow({ where: { memberId: p.id } });
      expect(JSON.stringify(row)).not.toContain(p.code);
      const member = await app.db.prisma.member.findUniqueOrThrow({ where: { id: p.id } });
      expect(JSON.stringify(member)).not.toContain(p.code);
      // Without APP_SECRET the stored rows do not make the code: another key gets it wrong.
      const other = new Codes(app.db, app.clock, 'another-secret-0123456789abcdef0123456789', { ttlMs: 60_000, maxAttempts: 5, resendGapMs: 0, perHour: 5 });
      expect(await other.check(p.id, 'activation', p.code)).toMatchObject({ ok: false, reason: 'wrong' });
      expect((await members().checkActivationCode(p.id, p.code)).ok).toBe(true);
    });

    it('unknown members always get `wrong` and resends answer `sent`', async () => {
      expect(await members().checkActivationCode(null, '12345678')).toMatchObject({ ok: false, reason: 'wrong' });
      expect(await members().resendActivation(null)).toEqual({ sent: true });
    });

    it('does not hold a username or e-mail of a pending sign-up longer than PENDING_SIGNUP_HOURS', async () => {
      const username = uname('hold');
      const email = `${username}@example.com`;
      await app.services.members.members.register({ username, email, fullName: 'Holder', passwordHash: 'x', lang: 'en' });
      expect(await members().usernameFree(username.toUpperCase())).toBe(false);
      app.clock.advance(24 * 3600_000 + 1000);
      expect(await members().usernameFree(username)).toBe(true);
      // Someone else can now take both; the stale pending row is gone.
      expect(await app.services.members.members.register({ username, email, fullName: 'Newcomer', passwordHash: 'y', lang: 'en' })).toBe('sent');
      const rows = await app.db.prisma.member.findMany({ where: { usernameKey: username } });
      expect(rows.map((r) => r.fullName)).toEqual(['Newcomer']);
    });

    it('a second sign-up with an e-mail that has an account creates nothing and tells the owner', async () => {
      const owner = uname('own');
      await makeMember(app, { username: owner, email: `${owner}@example.com` });
      const squatter = uname('sq');
      expect(await members().register({ username: squatter, email: `${owner.toUpperCase()}@EXAMPLE.com`, fullName: 'Squatter', passwordHash: 'x', lang: 'en' })).toBe('sent');
      expect(await app.db.prisma.member.findUnique({ where: { usernameKey: squatter } })).toBeNull();
      const notice = await app.db.prisma.outbox.findFirstOrThrow({ where: { to: `${owner}@example.com` } });
      expect(notice.template).toBe('email-exists');
      expect(notice.text).not.toMatch(/\b\d{8}\b/);
    });
  });
}
