import { fromPromise } from 'xstate';
import { chooseCardMachine, type CardChoice } from '../../../flows/shared/choose-card.js';
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
