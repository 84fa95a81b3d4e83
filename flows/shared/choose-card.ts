/**
 * "Which card?" — a sub-flow every card flow uses (charge, PIN change, freeze …). Lists the member's
 * enrolled cards as buttons showing the last 4 digits, picks the only card without asking, and tells
 * a member with no enrolled card to use Card Registration. Outputs `{ cardId, last4 }` or `null`
 * (no card, cancelled, or the list could not be read — the sub-flow has already said so).
 *
 * Easiest: embed {@link chooseCardStep} as a state (parent context holds `memberId` and `card`):
 * ```ts
 * setup({ actors: { 'choose card': chooseCardMachine, … } }).createMachine({ …
 *   choosing: chooseCardStep({ then: 'asking amount', none: 'done' }),
 * ```
 * Or invoke it yourself and forward the user's events to it:
 * ```ts
 * setup({ actors: { 'choose card': chooseCardMachine, … } }).createMachine({ …
 *   choosing: {
 *     invoke: { id: CHOOSE_CARD, src: 'choose card', input: ({ context }) => ({ memberId: context.memberId }),
 *       onDone: [{ guard: ({ event }) => event.output === null, target: 'done' },
 *                { target: 'next', actions: assign({ card: ({ event }) => event.output }) }] },
 *     on: forwardToChooser,
 *   },
 * ```
 * `src/` provides it with its side effect (`chooseCardActor(services.cards)` from
 * `src/services/cards/actors.ts`), e.g. `{ charge: { 'choose card': chooseCardActor(services.cards), … } }`.
 */
import { assign, sendTo, setup } from 'xstate';
import { port } from './port.js';
import type { Button, UserEvent } from './protocol.js';
import { button, reply, say, type AnyAction } from './say.js';

/** One card as the chooser shows it. */
export interface CardChoice {
  id: string;
  last4: string;
  currency: string;
  status: 'issued' | 'enrolled' | 'closed';
  frozen: boolean;
}

/** The card the member chose. */
export type ChosenCard = { cardId: string; last4: string } | null;

/** What the chooser needs. */
export interface ChooseCardInput {
  memberId: string;
  /** Leave frozen cards out (e.g. for something a frozen card cannot do). */
  excludeFrozen?: boolean;
  /** Catalogue key of the question (default `choose-card-prompt`). */
  promptKey?: string;
}

interface ChooseCardContext {
  memberId: string;
  excludeFrozen: boolean;
  promptKey: string;
  cards: CardChoice[];
  chosen: ChosenCard;
}

/** The invoke id flows give the chooser, so {@link forwardToChooser} reaches it. */
export const CHOOSE_CARD = 'chooseCard';

/** Side effect: the member's cards (every status; the chooser keeps the enrolled ones). */
export const listCardsPort = port<{ memberId: string }, CardChoice[]>();

const CANCEL = 'cancel';
const PICK = 'card:';

const usable = (c: ChooseCardContext, cards: CardChoice[]) => cards.filter((x) => x.status === 'enrolled' && !(c.excludeFrozen && x.frozen));

/** One button per card ("•••• 1234 · JPY"), then [Cancel]. */
function cardButtons(cards: CardChoice[]): Button[][] {
  return [
    ...cards.map((c) => [button(c.frozen ? 'choose-card-button-frozen' : 'choose-card-button', PICK + c.id, { last4: c.last4, currency: c.currency })]),
    [button('btn-cancel', CANCEL)],
  ];
}

/** The chooser sub-flow (pure; `list cards` is provided by `src/`). */
export const chooseCardMachine = setup({
  types: {} as { context: ChooseCardContext; input: ChooseCardInput; events: UserEvent; output: ChosenCard },
  actors: { 'list cards': listCardsPort },
  guards: {
    'no card': ({ context, event }) => usable(context, (event as unknown as { output: CardChoice[] }).output).length === 0,
    'one card': ({ context, event }) => usable(context, (event as unknown as { output: CardChoice[] }).output).length === 1,
  },
}).createMachine({
  id: 'choose-card',
  context: ({ input }) => ({
    memberId: input.memberId,
    excludeFrozen: input.excludeFrozen ?? false,
    promptKey: input.promptKey ?? 'choose-card-prompt',
    cards: [],
    chosen: null,
  }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'list cards',
        input: ({ context }) => ({ memberId: context.memberId }),
        onDone: [
          { guard: 'no card', target: 'done', actions: say('choose-card-none') },
          {
            guard: 'one card',
            target: 'done',
            actions: assign({
              chosen: ({ context, event }) => {
                const c = usable(context, event.output)[0]!;
                return { cardId: c.id, last4: c.last4 };
              },
            }),
          },
          { target: 'asking', actions: assign({ cards: ({ context, event }) => usable(context, event.output) }) },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    asking: {
      entry: reply<ChooseCardContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: context.promptKey }, buttons: cardButtons(context.cards) })),
      on: {
        button: [
          { guard: ({ event }) => event.value === CANCEL, target: 'done', actions: say('cancelled') },
          {
            guard: ({ context, event }) => context.cards.some((c) => PICK + c.id === event.value),
            target: 'done',
            actions: assign({
              chosen: ({ context, event }) => {
                const c = context.cards.find((x) => PICK + x.id === event.value)!;
                return { cardId: c.id, last4: c.last4 };
              },
            }),
          },
        ],
        text: [
          {
            // Typing the last 4 of one listed card is as good as pressing its button.
            guard: ({ context, event }) => context.cards.filter((c) => c.last4 === event.text.trim()).length === 1,
            target: 'done',
            actions: assign({
              chosen: ({ context, event }) => {
                const c = context.cards.find((x) => x.last4 === event.text.trim())!;
                return { cardId: c.id, last4: c.last4 };
              },
            }),
          },
          {
            target: 'asking',
            reenter: true,
            actions: say('choose-card-invalid'),
          },
        ],
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.chosen,
});

/** Transitions that pass the user's texts and button presses on to the chooser while it runs. */
export const forwardToChooser = {
  text: { actions: sendTo(CHOOSE_CARD, ({ event }: { event: UserEvent }) => event) },
  button: { actions: sendTo(CHOOSE_CARD, ({ event }: { event: UserEvent }) => event) },
} as const;

/** Options of {@link chooseCardStep}; targets are sibling state names in the parent. */
export interface ChooseCardStepOptions {
  /** Where to go with `context.card` set. */
  then: string;
  /** Where to go when there is no card or the member cancelled (already told). */
  none: string;
  excludeFrozen?: boolean;
  promptKey?: string;
}

/**
 * A parent state node that runs the chooser: invokes actor `'choose card'` (declare
 * `actors: { 'choose card': chooseCardMachine }` in the parent's setup; the parent's context holds
 * `memberId` and a `card: ChosenCard` field it fills), forwards the user's events, and moves on.
 */
export function chooseCardStep(o: ChooseCardStepOptions): AnyAction {
  return {
    invoke: {
      id: CHOOSE_CARD,
      src: 'choose card',
      input: ({ context }: { context: { memberId: string } }): ChooseCardInput => ({
        memberId: context.memberId,
        ...(o.excludeFrozen ? { excludeFrozen: true } : {}),
        ...(o.promptKey ? { promptKey: o.promptKey } : {}),
      }),
      onDone: [
        { guard: ({ event }: { event: { output: ChosenCard } }) => event.output === null, target: o.none },
        { target: o.then, actions: assign({ card: ({ event }: { event: { output: ChosenCard } }) => event.output }) },
      ],
    },
    on: forwardToChooser,
  };
}
