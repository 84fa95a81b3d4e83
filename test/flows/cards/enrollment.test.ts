import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../../support/db.js';
import { TestChat, testApp, type TestApp } from '../../support/app.js';
import { createMember, loggedInChat } from '../../support/members.js';

const deleted = (chat: TestChat) => chat.replies.some((r) => r.kind === 'delete');

for (const setup of SETUPS) {
  describe(`Card Registration on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('enrolls the card issued to the member with the mailer values, refusing bad input on the way', async () => {
      const m = await createMember(app, { email: `Enrol.${Date.now()}@Example.test` });
      const issued = await app.services.cards.issue({ email: m.email.toUpperCase() });
      const { last4, initialPin } = issued.pinMailer;
      const chat = await loggedInChat(app, m);

      await chat.send('/menu');
      expect(chat.buttons).toContain('Card Registration');
      await chat.press('Card Registration');
      expect(chat.texts[0]).toContain('enclosed paper bound with the thread');
      expect(chat.texts[1]).toContain('last 4 digits');

      for (const bad of ['abcd', '123', '12345', '12a4']) {
        await chat.send(bad);
        expect(chat.texts).toEqual([expect.stringContaining('for example: 1234')]);
      }
      await chat.send(issued.embossing.pan.replace(/(\d{4})(?=\d)/g, '$1 '));
      expect(deleted(chat)).toBe(true);
      expect(chat.texts[0]).toContain('never send your full card number');

      await chat.send(last4);
      expect(deleted(chat)).toBe(true);
      expect(chat.texts[0]).toContain(`Card ending ${last4}`);
      expect(chat.texts[0]).toContain('initial PIN');

      for (const bad of ['12 34', 'abcd', '123', '12345', ` ${initialPin}`]) {
        await chat.send(bad);
        expect(deleted(chat)).toBe(true);
        expect(chat.texts).toEqual([expect.stringContaining('exactly 4 digits')]);
      }
      await chat.send(initialPin);
      expect(deleted(chat)).toBe(true);
      expect(chat.texts[0]).toContain('One last check');
      expect(chat.replies.some((r) => r.kind === 'image')).toBe(true);

      await chat.send(initialPin); // the PIN again, at the CAPTCHA: deleted, not taken as an answer
      expect(deleted(chat)).toBe(true);
      expect(chat.texts[0]).toContain('looked like a PIN');

      await chat.send('TEST42');
      expect(chat.buttons).toContain('ENROLL');
      await chat.press('ENROLL');
      expect(chat.texts[0]).toBe(`A card has been enrolled. (card ending ${last4})`);
      expect(chat.buttons).toEqual(['OK']);
      await chat.press('OK');
      expect(chat.texts.at(-1)).toContain('Dashboard');

      const card = await app.services.cards.getCard(issued.card.id);
      expect(card).toMatchObject({ status: 'enrolled', memberId: m.id });
      const mails = await app.db.prisma.outbox.findMany({ where: { to: m.email, template: 'card-enrolled' } });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain(last4);
      expect(mails[0]!.text).not.toContain(initialPin);

      // Enrolling it again (already enrolled): the one generic failure.
      await chat.press('Card Registration');
      await chat.send(last4);
      await chat.send(initialPin);
      expect(chat.texts[0]).toContain('do not match a card issued to you');
    });

    it("refuses another member's card with the generic failure, and stops after 3 misses", async () => {
      const owner = await createMember(app);
      const other = await createMember(app);
      const issued = await app.services.cards.issue({ email: owner.email });
      const chat = await loggedInChat(app, other);
      await chat.send('/enroll');
      for (let i = 0; i < 3; i++) {
        await chat.send(issued.pinMailer.last4);
        await chat.send(issued.pinMailer.initialPin);
        expect(chat.texts[0]).toContain(i < 2 ? 'do not match a card issued to you' : 'did not match several times');
      }
      expect(chat.texts.at(-1)).toContain('Dashboard');
      expect((await app.services.cards.getCard(issued.card.id))!.status).toBe('issued');
      expect((await app.services.cards.getCard(issued.card.id))!.pinLocked).toBe(false);
    });

    it('locks the PIN after 3 wrong initial PINs and raises a pin-lock alert', async () => {
      const m = await createMember(app);
      const issued = await app.services.cards.issue({ email: m.email });
      const wrong = issued.pinMailer.initialPin === '5821' ? '5822' : '5821';
      const chat = await loggedInChat(app, m);
      await chat.send('/enroll');
      for (let i = 0; i < 2; i++) {
        await chat.send(issued.pinMailer.last4);
        await chat.send(wrong);
        expect(chat.texts[0]).toContain('do not match');
      }
      await chat.send(issued.pinMailer.last4);
      await chat.send(wrong);
      expect(chat.texts[0]).toContain('PIN is locked');
      const alerts = await app.db.prisma.alert.findMany({ where: { kind: 'pin-lock', cardId: issued.card.id } });
      expect(alerts).toHaveLength(1);
      // Even the right PIN is refused now.
      await chat.send('/enroll');
      await chat.send(issued.pinMailer.last4);
      await chat.send(issued.pinMailer.initialPin);
      expect(chat.texts[0]).toContain('PIN is locked');
    });

    it('speaks Japanese when the chat does', async () => {
      const m = await createMember(app);
      const issued = await app.services.cards.issue({ email: m.email });
      const chat = await loggedInChat(app, m);
      await chat.send('/language ja');
      await chat.send('/enroll');
      expect(chat.texts[0]).toContain('糸で綴じられた用紙');
      await chat.send(issued.pinMailer.last4);
      expect(chat.texts[0]).toContain(`下 4 桁 ${issued.pinMailer.last4} のカード`);
      await chat.send('12 34');
      expect(chat.texts[0]).toContain('例: 5821');
    });

    it('sends a logged-out chat to log in first', async () => {
      const chat = new TestChat(app);
      await chat.send('/enroll');
      expect(chat.texts[0]).toContain('log in first');
    });
  });
}
