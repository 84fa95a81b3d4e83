import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';
import { CANARY, makeMember, uname } from '../../flows/onboarding/helpers.js';

for (const setup of SETUPS) {
  describe(`member sessions on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });
    const sessions = () => app.services.members.sessions;

    it('links one chat per member and one member per chat', async () => {
      const a = await makeMember(app, { username: uname('a') });
      const b = await makeMember(app, { username: uname('b') });
      const chat1 = `test:${uname('c1')}`;
      const chat2 = `test:${uname('c2')}`;
      const s1 = await sessions().start(a, chat1);
      expect(s1.session).toMatchObject({ memberId: a, sessionId: expect.any(String) });
      expect(s1.session.lastSeenAt).toBe(s1.session.startedAt);
      // A logs in on chat2: chat1 gets a notice that ends its session.
      await sessions().start(a, chat2);
      const notices = await app.db.prisma.chatNotice.findMany({ where: { chatKey: chat1 } });
      expect(notices).toMatchObject([{ key: 'session-ended-elsewhere', endSession: true }]);
      // B logs in on chat2: A is no longer linked anywhere (chat2 now belongs to B).
      await sessions().start(b, chat2);
      const links = await app.db.prisma.memberChat.findMany({ where: { memberId: { in: [a, b] } } });
      expect(links.map((l) => [l.memberId, l.chatKey])).toEqual([[b, chat2]]);
    });

    it('locks after the configured failures, unlocks for support with an audit line', async () => {
      const username = uname('lk');
      const id = await makeMember(app, { username });
      for (let i = 0; i < 4; i++) expect(await sessions().checkLogin(username, `bad-${i}-password`)).toEqual({ outcome: 'bad' });
      expect(await sessions().checkLogin(username, 'bad-5-password')).toEqual({ outcome: 'locked', minutes: 15 });
      expect(await sessions().checkLogin(username, CANARY)).toMatchObject({ outcome: 'locked' });
      expect(await sessions().unlock(id, 'support:U123')).toBe(true);
      expect(await sessions().checkLogin(username, CANARY)).toEqual({ outcome: 'ok', memberId: id });
      const audit = await app.db.prisma.auditLog.findFirst({ where: { target: id, action: 'member.login-unlocked' } });
      expect(audit?.actor).toBe('support:U123');
    });

    it('treats an expired pending sign-up like an unknown username', async () => {
      const username = uname('exp');
      await makeMember(app, { username, status: 'pending' });
      expect(await sessions().checkLogin(username, CANARY)).toEqual({ outcome: 'pending', username });
      app.clock.advance(25 * 3600_000);
      expect(await sessions().checkLogin(username, CANARY)).toEqual({ outcome: 'bad' });
    });
  });
}
