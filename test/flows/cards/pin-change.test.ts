import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp, type TestChat } from '../../support/app.js';
import { createMember, loggedInChat, type TestMember } from '../../support/members.js';
import { enrolledCard } from '../../support/enrolled-card.js';

const deleted = (chat: TestChat) => chat.replies.some((r) => r.kind === 'delete');

for (const setup of SETUPS) {
  describe(`Change PIN on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    async function withCard(): Promise<{ m: TestMember; chat: TestChat; pin: string; cardId: string; last4: string }> {
      const m = await createMember(app);
      const issued = await enrolledCard(app, m.id, m.email);
      const chat = await loggedInChat(app, m);
      return { m, chat, pin: issued.pinMailer.initialPin, cardId: issued.card.id, last4: issued.card.last4 };
    }

    it('changes the PIN: current PIN, new PIN twice, every message deleted, e-mail sent', async () => {
      const { m, chat, pin, cardId, last4 } = await withCard();
      await chat.send('/menu');
      await chat.press('Change PIN');
      expect(chat.texts[0]).toContain(`Card ending ${last4}`); // the only card is picked without asking
      await chat.send(pin);
      expect(deleted(chat)).toBe(true);
      expect(chat.texts[0]).toContain('Enter the new PIN');
      const fresh = pin === '5821' ? '6930' : '5821';
      await chat.send(fresh);
      expect(deleted(chat)).toBe(true);
      expect(chat.texts[0]).toContain('once more');
      await chat.send(fresh);
      expect(deleted(chat)).toBe(true);
      expect(chat.texts[0]).toContain(`card ending ${last4} has been changed`);
      expect(chat.texts.at(-1)).toContain('Dashboard');

      const mails = await app.db.prisma.outbox.findMany({ where: { to: m.email, template: 'pin-changed' } });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).not.toContain(fresh);
      // The new PIN is the current one now; the old one is not.
      expect((await app.services.cards.verifyCurrentPin(m.id, cardId, fresh)).ok).toBe(true);
      expect((await app.services.cards.verifyCurrentPin(m.id, cardId, pin)).ok).toBe(false);
    });

    it('refuses badly formed, trivial, repeated, sequential and unchanged PINs, and a differing confirmation', async () => {
      const { chat, pin, last4 } = await withCard();
      await chat.send('/pin');
      for (const bad of ['12 34', 'abcd', '123', '12345']) {
        await chat.send(bad);
        expect(deleted(chat)).toBe(true);
        expect(chat.texts).toEqual([expect.stringContaining('exactly 4 digits')]);
      }
      await chat.send(pin);
      const cases: [string, string][] = [
        ['0000', 'too easy'],
        ['1234', 'too easy'],
        ['7777', 'repeats digits'],
        ['3535', 'repeats digits'],
        ['4567', 'run of digits'],
        ['8765', 'run of digits'],
        ['8901', 'run of digits'],
        [pin, 'differ from the current'],
        ['12a4', 'exactly 4 digits'],
        ['123', 'exactly 4 digits'],
      ];
      for (const [bad, why] of cases) {
        await chat.send(bad);
        expect(deleted(chat)).toBe(true);
        expect(chat.texts).toEqual([expect.stringContaining(why)]);
      }
      const fresh = pin === '5821' ? '6930' : '5821';
      await chat.send(fresh);
      await chat.send(fresh === '6930' ? '6931' : '5822');
      expect(chat.texts[0]).toContain('differ');
      await chat.send(fresh);
      await chat.send(fresh);
      expect(chat.texts[0]).toContain(`card ending ${last4} has been changed`);
    });

    it('locks the PIN after 3 wrong current PINs; support resets it', async () => {
      const { chat, pin, cardId } = await withCard();
      const wrong = pin === '5821' ? '5822' : '5821';
      await chat.send('/pin');
      await chat.send(wrong);
      expect(chat.texts[0]).toContain('2 more wrong PINs');
      await chat.send(wrong);
      expect(chat.texts[0]).toContain('1 more wrong PIN locks');
      await chat.send(wrong);
      expect(chat.texts[0]).toContain('PIN is locked');
      expect(await app.db.prisma.alert.count({ where: { kind: 'pin-lock', cardId } })).toBe(1);
      await chat.send('/pin');
      await chat.send(pin);
      expect(chat.texts[0]).toContain('PIN is locked');

      await app.services.cards.resetPinLock(cardId, 'support:U1');
      await chat.send('/pin');
      await chat.send(pin);
      expect(chat.texts[0]).toContain('Enter the new PIN');
    });

    it('asks which card when there are several, deleting a PIN typed there', async () => {
      const { m, chat, pin, last4 } = await withCard();
      const second = await enrolledCard(app, m.id, m.email, 'USD');
      await chat.send('/pin');
      expect(chat.texts[0]).toContain('Which card?');
      const last4s = [last4, second.card.last4];
      await chat.send(last4s.includes(pin) ? ['0001', '0002', '0003'].find((x) => !last4s.includes(x))! : pin);
      expect(deleted(chat)).toBe(true);
      await chat.press(`•••• ${second.card.last4} · USD`);
      expect(chat.texts[0]).toContain(`Card ending ${second.card.last4}`);
    });

    it('tells a member without an enrolled card to use Card Registration', async () => {
      const m = await createMember(app);
      const chat = await loggedInChat(app, m);
      await chat.send('/pin');
      expect(chat.texts[0]).toContain('Card Registration');
    });
  });
}
