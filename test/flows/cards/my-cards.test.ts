import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';
import { createMember, loggedInChat } from '../../support/members.js';
import { enrolledCard } from '../../support/enrolled-card.js';

for (const setup of SETUPS) {
  describe(`My Cards on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('lists last 4, currency and state; the cardholder freezes and unfreezes but cannot lift a support freeze', async () => {
      const m = await createMember(app);
      const a = await enrolledCard(app, m.id, m.email, 'JPY');
      const b = await enrolledCard(app, m.id, m.email, 'USD');
      const chat = await loggedInChat(app, m);
      await chat.send('/menu');
      await chat.press('My Cards');
      expect(chat.texts).toEqual(['Your cards:', `•••• ${a.card.last4} · JPY · active`, `•••• ${b.card.last4} · USD · active`]);

      await chat.send('freeze it');
      expect(chat.texts[0]).toBe('Please use the buttons below.');
      expect(chat.buttons).toContain(`Freeze •••• ${a.card.last4}`);
      await chat.press(`Freeze •••• ${a.card.last4}`);
      expect(chat.texts[0]).toContain('is now frozen');
      expect(chat.texts).toContain(`•••• ${a.card.last4} · JPY · frozen by you`);
      expect((await app.services.cards.getCard(a.card.id))!.frozenBy).toBe('cardholder');
      await chat.press(`Unfreeze •••• ${a.card.last4}`);
      expect(chat.texts[0]).toContain('active again');
      expect((await app.services.cards.getCard(a.card.id))!.frozen).toBe(false);

      await app.services.cards.freeze(b.card.id, 'support', { actor: 'support:U1' });
      await chat.press('Done');
      await chat.send('/cards');
      expect(chat.texts).toContain(`•••• ${b.card.last4} · USD · frozen by support`);
      await chat.press(`Unfreeze •••• ${b.card.last4}`);
      expect(chat.texts[0]).toContain('only support can lift it');
      expect((await app.services.cards.getCard(b.card.id))!.frozenBy).toBe('support');
      await chat.press('Done');
      expect(chat.texts.at(-1)).toContain('Dashboard');
    });

    it('says there are no cards yet', async () => {
      const m = await createMember(app);
      const chat = await loggedInChat(app, m);
      await chat.send('/cards');
      expect(chat.texts[0]).toContain('no cards yet');
    });
  });
}
