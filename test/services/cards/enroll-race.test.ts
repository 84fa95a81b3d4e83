import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../support/app.js';
import { createMember, loggedInChat } from '../../support/members.js';

// Real concurrency needs real connections: PGlite has one and queues transactions.
describe('concurrent enrollments of one card on PostgreSQL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp({ db: 'postgres', store: 'redis' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('exactly one of two concurrent enrollments wins, every time', async () => {
    for (let round = 0; round < 10; round++) {
      const m = await createMember(app);
      const issued = await app.services.cards.issue({ email: m.email });
      const proofs = await Promise.all([0, 1].map(() => app.services.cards.checkInitialPin(m.id, issued.pinMailer.last4, issued.pinMailer.initialPin)));
      const results = await Promise.all(proofs.map((p) => (p.ok ? app.services.cards.enroll(m.id, p.cardId, p.proof) : Promise.resolve(p))));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'no-match' }]);
      expect(await app.db.prisma.outbox.count({ where: { to: m.email, template: 'card-enrolled' } })).toBe(1);
      expect(await app.db.prisma.auditLog.count({ where: { action: 'card.enroll', target: issued.card.id } })).toBe(1);
    }
  });

  it('ten at once: still exactly one', async () => {
    const m = await createMember(app);
    const issued = await app.services.cards.issue({ email: m.email });
    const check = await app.services.cards.checkInitialPin(m.id, issued.pinMailer.last4, issued.pinMailer.initialPin);
    if (!check.ok) throw new Error('expected a match');
    const results = await Promise.all(Array.from({ length: 10 }, () => app.services.cards.enroll(m.id, check.cardId, check.proof)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await app.services.cards.getCard(issued.card.id))!.status).toBe('enrolled');
  });

  it('two chats of the member press [ENROLL] at once: one enrolls, the other gets the generic failure', async () => {
    const m = await createMember(app);
    const issued = await app.services.cards.issue({ email: m.email });
    const chats = await Promise.all([0, 1].map(() => loggedInChat(app, m)));
    for (const chat of chats) {
      await chat.send('/enroll');
      await chat.send(issued.pinMailer.last4);
      await chat.send(issued.pinMailer.initialPin);
      await chat.send('TEST42');
      expect(chat.buttons).toContain('ENROLL');
    }
    await Promise.all(chats.map((c) => c.press('ENROLL')));
    const answers = chats.map((c) => c.texts[0]!).sort();
    expect(answers[0]).toContain('A card has been enrolled');
    expect(answers[1]).toContain('do not match a card issued to you');
    expect(await app.db.prisma.outbox.count({ where: { to: m.email, template: 'card-enrolled' } })).toBe(1);
  });
});
