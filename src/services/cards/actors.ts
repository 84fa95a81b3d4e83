import { fromPromise } from 'xstate';
import { chooseCardMachine, type CardChoice } from '../../../flows/shared/choose-card.js';
import { CardError } from './errors.js';
import type { CardsService } from './service.js';

/** The member's cards as the chooser and the card list show them. */
export async function cardChoices(cards: CardsService, memberId: string): Promise<CardChoice[]> {
  return (await cards.listCards(memberId)).map((c) => ({ id: c.id, last4: c.last4, currency: c.currency, status: c.status, frozen: c.frozen }));
}

/**
 * The "choose card" sub-flow with its side effect provided. A flow that invokes `'choose card'` gets
 * it from `src/app/flows.ts`: `{ myFlow: { 'choose card': chooseCardActor(services.cards), … } }`.
 */
export function chooseCardActor(cards: CardsService) {
  return chooseCardMachine.provide({
    actors: { 'list cards': fromPromise(async ({ input }: { input: { memberId: string } }) => cardChoices(cards, input.memberId)) as never },
  });
}

/** Side effects of Card Registration, Change PIN and My Cards, by flow id. */
export function cardFlowActors(cards: CardsService): Record<string, Record<string, unknown>> {
  const chooser = chooseCardActor(cards);
  return {
    enroll: {
      'check initial pin': fromPromise(({ input }: { input: { memberId: string; last4: string; pin: string } }) => cards.checkInitialPin(input.memberId, input.last4, input.pin)),
      'enroll card': fromPromise(({ input }: { input: { memberId: string; cardId: string; proof: string } }) => cards.enroll(input.memberId, input.cardId, input.proof)),
    },
    pin: {
      'choose card': chooser,
      'verify current pin': fromPromise(({ input }: { input: { memberId: string; cardId: string; pin: string } }) => cards.verifyCurrentPin(input.memberId, input.cardId, input.pin)),
      'prepare new pin': fromPromise(({ input }: { input: { memberId: string; cardId: string; proof: string; pin: string } }) => cards.prepareNewPin(input.memberId, input.cardId, input.proof, input.pin)),
      'change pin': fromPromise(({ input }: { input: { memberId: string; cardId: string; proof: string; pending: string; confirm: string } }) =>
        cards.changePin(input.memberId, input.cardId, input.proof, input.pending, input.confirm),
      ),
    },
    cards: {
      'list card rows': fromPromise(async ({ input }: { input: { memberId: string } }) =>
        (await cards.listCards(input.memberId)).map((c) => ({ id: c.id, last4: c.last4, currency: c.currency, status: c.status, frozen: c.frozen, frozenBy: c.frozenBy, pinLocked: c.pinLocked })),
      ),
      'set frozen': fromPromise(async ({ input }: { input: { memberId: string; cardId: string; frozen: boolean } }) => {
        const card = await cards.memberCard(input.memberId, input.cardId);
        if (!card || card.status !== 'enrolled') return { ok: false, reason: 'no-card', last4: card?.last4 ?? '' } as const;
        if (!input.frozen && card.frozenBy === 'support') return { ok: false, reason: 'support-frozen', last4: card.last4 } as const;
        const who = { memberId: input.memberId, actor: `member:${input.memberId}` };
        try {
          const after = input.frozen ? await cards.freeze(card.id, 'cardholder', who) : await cards.unfreeze(card.id, 'cardholder', who);
          return { ok: true, last4: after.last4, frozen: after.frozen } as const;
        } catch (err) {
          // A support freeze set between the list and the press.
          if (err instanceof CardError && err.code === 'CARD.NOT_ALLOWED') return { ok: false, reason: 'support-frozen', last4: card.last4 } as const;
          throw err;
        }
      }),
    },
  };
}
