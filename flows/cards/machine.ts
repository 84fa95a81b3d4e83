/**
 * My Cards (members only): each card with its last 4, currency and state, and a button to freeze
 * or unfreeze it. A cardholder cannot lift a freeze set by support (the service refuses; we say so).
 * Started with `freeze:<last4>` (the [Freeze card] quick action on a card-usage notice), it freezes
 * that card at once when exactly one enrolled card has that last 4 and is not frozen, then lists them.
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { CardChoice } from '../shared/choose-card.js';
import { port } from '../shared/port.js';
import type { Button, FlowInput, FlowOutput, UserEvent } from '../shared/protocol.js';
import { button, reply, replyEvent, say } from '../shared/say.js';

/** A card as My Cards shows it. */
export interface CardRow extends CardChoice {
  frozenBy: 'cardholder' | 'support' | null;
  pinLocked: boolean;
}

/** Output of 'set frozen'. */
export type FreezeResult = { ok: true; last4: string; frozen: boolean } | { ok: false; reason: 'support-frozen' | 'no-card'; last4: string };

interface CardsContext {
  memberId: string;
  cards: CardRow[];
  /** Last 4 of the card to freeze at once (from the start argument), until it is looked at. */
  freeze: string | null;
  /** The change asked for: which card, frozen or not. */
  pending: { cardId: string; frozen: boolean } | null;
}

/** The card a `freeze:<last4>` start asks for: the one enrolled card with that last 4, if exactly one. */
function freezeTarget(c: CardsContext): CardRow | null {
  const matches = c.cards.filter((x) => x.last4 === c.freeze);
  return matches.length === 1 ? matches[0]! : null;
}

const FREEZE = 'freeze:';
const UNFREEZE = 'unfreeze:';
const DONE = 'done';

/** What the state column says about a card. */
function stateOf(c: CardRow): string {
  if (c.frozenBy === 'support') return 'frozen-support';
  if (c.frozenBy) return 'frozen-own';
  if (c.pinLocked) return 'pin-locked';
  return 'active';
}

function cardButtons(c: CardRow): Button[] {
  if (c.frozenBy) return [button('cards-btn-unfreeze', UNFREEZE + c.id, { last4: c.last4 })];
  return [button('cards-btn-freeze', FREEZE + c.id, { last4: c.last4 })];
}

/** The My Cards flow (pure; side effects provided by `src/services/cards/actors.ts`). */
export const cardsMachine = setup({
  types: {} as { context: CardsContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'list card rows': port<{ memberId: string }, CardRow[]>(),
    'set frozen': port<{ memberId: string; cardId: string; frozen: boolean }, FreezeResult>(),
  },
}).createMachine({
  id: 'cards',
  context: ({ input }) => ({ memberId: input.session!.memberId, cards: [], freeze: /^freeze:\d{4}$/.test(input.arg ?? '') ? input.arg!.slice(7) : null, pending: null }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'list card rows',
        input: ({ context }) => ({ memberId: context.memberId }),
        onDone: [
          { guard: ({ event }) => !event.output.some((c) => c.status === 'enrolled'), target: 'done', actions: say('cards-none') },
          { target: 'quick', actions: assign({ cards: ({ event }) => event.output.filter((c) => c.status === 'enrolled') }) },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    /** A [Freeze card] quick action: freeze that card now, or say why not; otherwise just the list. */
    quick: {
      always: [
        { guard: ({ context }) => context.freeze === null, target: 'showing' },
        {
          guard: ({ context }) => freezeTarget(context) !== null && freezeTarget(context)!.frozenBy === null,
          target: 'changing',
          actions: assign(({ context }) => ({ pending: { cardId: freezeTarget(context)!.id, frozen: true }, freeze: null })),
        },
        {
          guard: ({ context }) => freezeTarget(context) !== null,
          target: 'showing',
          actions: [reply<CardsContext, unknown>(({ context }) => ({ kind: 'text', msg: { key: 'cards-already-frozen', vars: { last4: context.freeze! } } })), assign({ freeze: null })],
        },
        { target: 'showing', actions: [reply<CardsContext, unknown>(({ context }) => ({ kind: 'text', msg: { key: 'cards-freeze-which', vars: { last4: context.freeze! } } })), assign({ freeze: null })] },
      ],
    },
    showing: {
      entry: enqueueActions(({ context, enqueue }) => {
        enqueue.emit(replyEvent({ kind: 'text', msg: { key: 'cards-header' } }) as never);
        context.cards.forEach((c, i) => {
          const rows: Button[][] = [cardButtons(c)];
          if (i === context.cards.length - 1) rows.push([button('cards-btn-done', DONE)]);
          enqueue.emit(replyEvent({ kind: 'text', msg: { key: 'cards-line', vars: { last4: c.last4, currency: c.currency, state: stateOf(c) } }, buttons: rows }) as never);
        });
      }),
      on: {
        button: [
          { guard: ({ event }) => event.value === DONE, target: 'done' },
          {
            guard: ({ event }) => event.value.startsWith(FREEZE) || event.value.startsWith(UNFREEZE),
            target: 'changing',
            actions: assign({ pending: ({ event }) => ({ cardId: event.value.slice(event.value.indexOf(':') + 1), frozen: event.value.startsWith(FREEZE) }) }),
          },
        ],
        // A reply without buttons would expire the card buttons, so the list is shown again.
        text: { target: 'showing', reenter: true, actions: say('cards-pick') },
      },
    },
    changing: {
      invoke: {
        src: 'set frozen',
        input: ({ context }) => ({ memberId: context.memberId, cardId: context.pending!.cardId, frozen: context.pending!.frozen }),
        onDone: {
          target: 'loading',
          actions: reply(({ event }) => {
            const r = (event as { output: FreezeResult }).output;
            const key = r.ok ? (r.frozen ? 'cards-frozen' : 'cards-unfrozen') : r.reason === 'support-frozen' ? 'cards-support-frozen' : 'error-generic';
            return { kind: 'text', msg: { key, vars: { last4: r.last4 } } };
          }),
        },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
