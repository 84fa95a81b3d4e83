/**
 * Change PIN (members only): choose the card → current PIN → new PIN → new PIN again. Every PIN is a
 * secret: the engine deletes the message, the flow hands it to a side effect in that same turn and
 * keeps only what comes back (a proof for the current PIN, a keyed digest of the first new PIN).
 * Three wrong current PINs lock the card's PIN; an e-mail confirms a change.
 *
 * While choosing the card, four digits may be the last 4 of a card (the chooser takes them) or a
 * PIN typed too early; the message is deleted either way (the last 4 is not needed in the chat).
 */
import { assign, sendTo, setup } from 'xstate';
import { chooseCardMachine, chooseCardStep, CHOOSE_CARD, type ChosenCard } from '../shared/choose-card.js';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, UserEvent } from '../shared/protocol.js';
import { deleteInput, reply, say, type AnyAction } from '../shared/say.js';

/** Output of 'verify current pin'. */
export type CurrentPinCheck = { ok: true; proof: string } | { ok: false; reason: 'wrong' | 'locked' | 'no-card'; attemptsLeft?: number };
/** Output of 'prepare new pin'. */
export type NewPinCheck = { ok: true; pending: string } | { ok: false; reason: 'format' | 'trivial' | 'repeated' | 'sequential' | 'same' | 'expired' };
/** Output of 'change pin'. */
export type PinChange = { ok: true } | { ok: false; reason: 'mismatch' | 'expired' };

interface PinContext {
  memberId: string;
  card: ChosenCard;
  proof: string | null;
  pending: string | null;
}

const DIGITS4 = /^\d{4}$/;
const text = (e: UserEvent) => (e.type === 'text' ? e.text : '');
const out = <T>(e: unknown) => (e as { output: T }).output;
const refusal: Record<string, string> = {
  format: 'pin-bad-format',
  trivial: 'pin-refused-trivial',
  repeated: 'pin-refused-repeated',
  sequential: 'pin-refused-sequential',
  same: 'pin-refused-same',
};

/** A state asking for a PIN: says `prompt` on entry, waits; `retry` re-waits without repeating it. */
function pinQuestion(prompt: AnyAction, next: string): AnyAction {
  return {
    tags: ['secret'],
    initial: 'prompt',
    states: { prompt: { entry: prompt, always: 'waiting' }, waiting: {} },
    on: { text: [{ guard: 'is pin', target: next }, { actions: say('pin-bad-format') }] },
  };
}

/** The Change PIN flow (pure; side effects provided by `src/services/cards/actors.ts`). */
export const pinChangeMachine = setup({
  types: {} as { context: PinContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'choose card': chooseCardMachine,
    'verify current pin': port<{ memberId: string; cardId: string; pin: string }, CurrentPinCheck>(),
    'prepare new pin': port<{ memberId: string; cardId: string; proof: string; pin: string }, NewPinCheck>(),
    'change pin': port<{ memberId: string; cardId: string; proof: string; pending: string; confirm: string }, PinChange>(),
  },
  guards: {
    // Exactly four digits as typed: spaces, letters, 3 or 5 digits are refused.
    'is pin': ({ event }) => DIGITS4.test(text(event)),
    'looks like pin': ({ event }) => DIGITS4.test(text(event).trim()),
  },
}).createMachine({
  id: 'pin-change',
  context: ({ input }) => ({ memberId: input.session!.memberId, card: null, proof: null, pending: null }),
  initial: 'choosing',
  states: {
    choosing: {
      ...chooseCardStep({ then: 'askCurrent', none: 'done' }),
      on: {
        text: [
          { guard: 'looks like pin', actions: [deleteInput, sendTo(CHOOSE_CARD, ({ event }) => event)] },
          { actions: sendTo(CHOOSE_CARD, ({ event }) => event) },
        ],
        button: { actions: sendTo(CHOOSE_CARD, ({ event }) => event) },
      },
    },
    askCurrent: pinQuestion(reply<PinContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'pin-ask-current', vars: { last4: context.card!.last4 } } })), '#pin-change.verifying'),
    verifying: {
      invoke: {
        src: 'verify current pin',
        input: ({ context, event }) => ({ memberId: context.memberId, cardId: context.card!.cardId, pin: text(event as UserEvent) }),
        onDone: [
          { guard: ({ event }) => event.output.ok, target: 'askNew', actions: assign({ proof: ({ event }) => out<{ proof: string }>(event).proof }) },
          {
            guard: ({ event }) => !event.output.ok && event.output.reason === 'wrong',
            target: 'askCurrent.waiting',
            actions: reply(({ event }) => ({ kind: 'text', msg: { key: 'pin-wrong-current', vars: { left: out<{ attemptsLeft?: number }>(event).attemptsLeft ?? 0 } } })),
          },
          { guard: ({ event }) => !event.output.ok && event.output.reason === 'locked', target: 'done', actions: say('pin-locked') },
          { target: 'done', actions: say('error-generic') },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    askNew: pinQuestion(say('pin-ask-new'), '#pin-change.preparing'),
    preparing: {
      invoke: {
        src: 'prepare new pin',
        input: ({ context, event }) => ({ memberId: context.memberId, cardId: context.card!.cardId, proof: context.proof!, pin: text(event as UserEvent) }),
        onDone: [
          { guard: ({ event }) => event.output.ok, target: 'askConfirm', actions: assign({ pending: ({ event }) => out<{ pending: string }>(event).pending }) },
          {
            guard: ({ event }) => !event.output.ok && event.output.reason !== 'expired',
            target: 'askNew.waiting',
            actions: reply(({ event }) => ({ kind: 'text', msg: { key: refusal[out<{ reason: string }>(event).reason] ?? 'pin-bad-format' } })),
          },
          { target: 'done', actions: say('pin-expired') },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    askConfirm: pinQuestion(say('pin-ask-confirm'), '#pin-change.changing'),
    changing: {
      invoke: {
        src: 'change pin',
        input: ({ context, event }) => ({ memberId: context.memberId, cardId: context.card!.cardId, proof: context.proof!, pending: context.pending!, confirm: text(event as UserEvent) }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'done',
            actions: reply<PinContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'pin-changed', vars: { last4: context.card!.last4 } } })),
          },
          { guard: ({ event }) => !event.output.ok && event.output.reason === 'mismatch', target: 'askNew.waiting', actions: [assign({ pending: null }), say('pin-mismatch')] },
          { target: 'done', actions: say('pin-expired') },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
