/**
 * My Cards (members only): each card with its last 4, currency and state, and a button to freeze
 * or unfreeze it. A cardholder cannot lift a freeze set by support (the service refuses; we say so).
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
  context: ({ input }) => ({ memberId: input.session!.memberId, cards: [] }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'list card rows',
        input: ({ context }) => ({ memberId: context.memberId }),
        onDone: [
          { guard: ({ event }) => !event.output.some((c) => c.status === 'enrolled'), target: 'done', actions: say('cards-none') },
          { target: 'showing', actions: assign({ cards: ({ event }) => event.output.filter((c) => c.status === 'enrolled') }) },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
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
          { guard: ({ event }) => event.value.startsWith(FREEZE) || event.value.startsWith(UNFREEZE), target: 'changing' },
        ],
        // A reply without buttons would expire the card buttons, so the list is shown again.
        text: { target: 'showing', reenter: true, actions: say('cards-pick') },
      },
    },
    changing: {
      invoke: {
        src: 'set frozen',
        input: ({ context, event }) => {
          const v = (event as { value: string }).value;
          return { memberId: context.memberId, cardId: v.slice(v.indexOf(':') + 1), frozen: v.startsWith(FREEZE) };
        },
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
