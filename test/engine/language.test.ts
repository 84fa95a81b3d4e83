import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../support/db.js';
import { TestChat, testApp, type TestApp } from '../support/app.js';

for (const setup of SETUPS) {
  describe(`language on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    it("remembers a logged-in member's /language choice on the member", async () => {
      const id = `m-${Math.random().toString(36).slice(2)}`;
      await app.db.prisma.member.create({
        data: { id, username: id, usernameKey: id, email: `${id}@example.com`, emailKey: `${id}@example.com`, fullName: 'Lang Test', passwordHash: 'x', status: 'active' },
      });
      const chat = new TestChat(app);
      const now = app.clock.now().getTime();
      await app.engine.setSession('test', chat.chatId, { memberId: id, username: id, sessionId: 's1', startedAt: now, lastSeenAt: now });
      await chat.send('/language ja');
      expect(chat.texts[0]).toContain('日本語');
      expect((await app.db.prisma.member.findUnique({ where: { id } }))!.language).toBe('ja');
      await chat.send('/language en');
      expect((await app.db.prisma.member.findUnique({ where: { id } }))!.language).toBe('en');
    });

    it('does not touch any member when a guest switches language', async () => {
      // Members that a careless update (no member id: every row) would change.
      for (const lang of ['en', 'ja']) {
        const id = `m-${Math.random().toString(36).slice(2)}`;
        await app.db.prisma.member.create({
          data: { id, username: id, usernameKey: id, email: `${id}@example.com`, emailKey: `${id}@example.com`, fullName: 'Bystander', passwordHash: 'x', status: 'active', language: lang },
        });
      }
      const before = await app.db.prisma.member.findMany({ orderBy: { id: 'asc' } });
      expect(before.length).toBeGreaterThanOrEqual(2);
      const chat = new TestChat(app);
      await chat.send('/language ja');
      expect(chat.texts[0]).toContain('日本語');
      await chat.send('/language en');
      expect(chat.texts[0]).toBe('Language set to English.');
      expect(await app.db.prisma.member.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    });
  });
}
