import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPromise, setup as xsetup } from 'xstate';
import { chooseCardMachine, chooseCardStep, type ChosenCard } from '../../../flows/shared/choose-card.js';
import type { FlowInput, UserEvent } from '../../../flows/shared/protocol.js';
import { say } from '../../../flows/shared/say.js';
import type { FlowEntry } from '../../../flows/root.js';
import { cardChoices } from '../../../src/services/cards/actors.js';
import { SETUPS } from '../../support/db.js';
import { testApp, type TestApp } from '../../support/app.js';
import { createMember, loggedInChat } from '../../support/members.js';
import { enrolledCard } from '../../support/enrolled-card.js';

/** A host flow that only chooses a card and says which (the catalogue echoes unknown keys). */
const picker = xsetup({
  types: {} as { context: { memberId: string; card: ChosenCard }; input: FlowInput; events: UserEvent },
  actors: { 'choose card': chooseCardMachine },
}).createMachine({
  id: 'picker',
  context: ({ input }) => ({ memberId: input.session!.memberId, card: null }),
  initial: 'choosing',
  states: {
    choosing: chooseCardStep({ then: 'chosen', none: 'done' }),
    chosen: { entry: say('test-chosen'), always: 'done' },
    done: { type: 'final' },
  },
  output: () => ({}),
});

let app: TestApp;
const entry: FlowEntry = {
  id: 'picker',
  requiresLogin: true,
  machine: picker.provide({
    actors: {
      'choose card': chooseCardMachine.provide({
        actors: { 'list cards': fromPromise(async ({ input }: { input: { memberId: string } }) => cardChoices(app.services.cards, input.memberId)) as never },
      }),
    },
  }),
};

for (const setup of SETUPS) {
  describe(`choose card on ${setup.db} + ${setup.store}`, () => {
    beforeAll(async () => {
      app = await testApp(setup, {}, { flows: [entry] });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('says there is no enrolled card and finishes', async () => {
      const m = await createMember(app);
      await app.services.cards.issue({ email: m.email }); // issued, not enrolled: not offered
      const chat = await loggedInChat(app, m);
      await chat.send('/picker');
      expect(chat.texts[0]).toContain('no enrolled card');
      expect(chat.texts[0]).toContain('Card Registration');
      expect(chat.texts.at(-1)).toContain('Dashboard');
    });

    it('picks the only card without asking', async () => {
      const m = await createMember(app);
      await enrolledCard(app, m.id, m.email);
      const chat = await loggedInChat(app, m);
      await chat.send('/picker');
      expect(chat.texts[0]).toBe('test-chosen');
    });

    it('offers several cards as last-4 buttons, refuses other text, accepts a button or typed last 4', async () => {
      const m = await createMember(app);
      const a = await enrolledCard(app, m.id, m.email, 'JPY');
      const b = await enrolledCard(app, m.id, m.email, 'USD');
      const chat = await loggedInChat(app, m);
      await chat.send('/picker');
      expect(chat.texts[0]).toContain('Which card?');
      expect(chat.buttons).toEqual([`•••• ${a.card.last4} · JPY`, `•••• ${b.card.last4} · USD`, 'Cancel']);
      await chat.send('hello');
      expect(chat.texts[0]).toContain('for example: 1234');
      expect(chat.buttons).toHaveLength(3);
      await chat.press(`•••• ${b.card.last4}`);
      expect(chat.texts[0]).toBe('test-chosen');

      await chat.send('/picker');
      if (a.card.last4 !== b.card.last4) {
        await chat.send(a.card.last4);
        expect(chat.texts[0]).toBe('test-chosen');
      } else {
        await chat.press('Cancel');
      }
      await chat.send('/picker');
      await chat.press('Cancel');
      expect(chat.texts[0]).toContain('Cancelled');
    });

    it('marks frozen cards and leaves closed ones out', async () => {
      const m = await createMember(app);
      const a = await enrolledCard(app, m.id, m.email);
      const b = await enrolledCard(app, m.id, m.email);
      const c = await enrolledCard(app, m.id, m.email);
      await app.services.cards.freeze(a.card.id, 'cardholder', { memberId: m.id, actor: 'test' });
      await app.services.cards.replace(c.card.id, 'test');
      const chat = await loggedInChat(app, m);
      await chat.send('/picker');
      expect(chat.buttons).toEqual([`•••• ${a.card.last4} · JPY (frozen)`, `•••• ${b.card.last4} · JPY`, 'Cancel']);
    });
  });
}
