/**
 * Card Registration (members only): the guide's note about the paper mailer → last 4 digits →
 * initial PIN (a secret: deleted, checked in the same turn, only a proof kept) → CAPTCHA → [ENROLL]
 * → "A card has been enrolled" [OK] (and an e-mail, queued by the service).
 *
 * Secrets typed at the wrong moment: the mailer prints the last 4 digits and the PIN side by side,
 * so at the last-4 step a PIN typed by mistake cannot be told apart from last 4 digits. The message
 * is therefore deleted there too (the next prompt repeats the last 4, so nothing is lost), and a
 * full card number is deleted with a warning. After the PIN step, four digits (never a valid
 * CAPTCHA answer, nor anything else asked) are deleted with a note.
 */
import { assign, sendTo, setup } from 'xstate';
import { captchaMachine, captchaStep } from '../shared/captcha.js';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { button, deleteInput, reply, say } from '../shared/say.js';

/** Output of the 'check initial pin' side effect. */
export type InitialPinCheck = { ok: true; cardId: string; last4: string; proof: string } | { ok: false; reason: 'no-match' | 'locked' };
/** Output of the 'enroll card' side effect. */
export type EnrollResult = { ok: true; last4: string } | { ok: false; reason: 'no-match' | 'expired' };

/** Generic failures in one run before the flow stops (the PIN lock counts per card besides). */
const MAX_TRIES = 3;

interface EnrollContext {
  chatKey: string;
  lang: Lang;
  memberId: string;
  last4: string;
  cardId: string | null;
  proof: string | null;
  tries: number;
}

const DIGITS4 = /^\d{4}$/;
/** A whole card number typed with or without spaces or dashes. */
const looksLikeCardNumber = (t: string) => /^[\d\s-]+$/.test(t.trim()) && t.replace(/\D/g, '').length >= 12;
const text = (e: UserEvent) => (e.type === 'text' ? e.text : '');

/** The Card Registration flow (pure; side effects provided by `src/services/cards/actors.ts`). */
export const enrollmentMachine = setup({
  types: {} as { context: EnrollContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'check initial pin': port<{ memberId: string; last4: string; pin: string }, InitialPinCheck>(),
    'enroll card': port<{ memberId: string; cardId: string; proof: string }, EnrollResult>(),
    captcha: captchaMachine,
  },
  guards: {
    'is card number': ({ event }) => looksLikeCardNumber(text(event)),
    'is last 4': ({ event }) => DIGITS4.test(text(event).trim()),
    // Exactly four digits as typed: spaces, letters, 3 or 5 digits are refused.
    'is pin': ({ event }) => DIGITS4.test(text(event)),
    'looks like pin': ({ event }) => DIGITS4.test(text(event).trim()),
  },
}).createMachine({
  id: 'enrollment',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, memberId: input.session!.memberId, last4: '', cardId: null, proof: null, tries: 0 }),
  initial: 'askLast4',
  entry: say('enroll-intro'),
  states: {
    askLast4: {
      entry: say('enroll-ask-last4'),
      on: {
        text: [
          { guard: 'is card number', actions: [deleteInput, say('enroll-full-number')] },
          { guard: 'is last 4', target: 'askPin', actions: [deleteInput, assign({ last4: ({ event }) => text(event).trim() })] },
          { actions: say('enroll-bad-last4') },
        ],
      },
    },
    askPin: {
      tags: ['secret'],
      entry: reply<EnrollContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'enroll-ask-pin', vars: { last4: context.last4 } } })),
      on: {
        text: [{ guard: 'is pin', target: 'checkingPin' }, { actions: say('enroll-bad-pin') }],
      },
    },
    checkingPin: {
      invoke: {
        src: 'check initial pin',
        input: ({ context, event }) => ({ memberId: context.memberId, last4: context.last4, pin: text(event as UserEvent) }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'captcha',
            actions: [
              assign(({ event }) => {
                const out = event.output as Extract<InitialPinCheck, { ok: true }>;
                return { cardId: out.cardId, proof: out.proof, last4: out.last4 };
              }),
              say('enroll-pin-ok'),
            ],
          },
          { guard: ({ event }) => !event.output.ok && event.output.reason === 'locked', target: 'done', actions: say('enroll-locked') },
          { guard: ({ context }) => context.tries + 1 >= MAX_TRIES, target: 'done', actions: say('enroll-give-up') },
          { target: 'askLast4', actions: [assign({ tries: ({ context }) => context.tries + 1 }), say('enroll-no-match')] },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    captcha: {
      ...captchaStep({ then: 'enrolling', paused: 'done', cancelled: 'done', confirm: 'captcha-btn-enroll' }),
      on: {
        text: [
          { guard: 'looks like pin', actions: [deleteInput, say('enroll-secret-deleted')] },
          { actions: sendTo('captcha', ({ event }) => event) },
        ],
        button: { actions: sendTo('captcha', ({ event }) => event) },
      },
    },
    enrolling: {
      invoke: {
        src: 'enroll card',
        input: ({ context }) => ({ memberId: context.memberId, cardId: context.cardId!, proof: context.proof! }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'enrolled',
            actions: reply<EnrollContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'enroll-done', vars: { last4: context.last4 } }, buttons: [[button('btn-ok', 'ok')]] })),
          },
          { guard: ({ event }) => !event.output.ok && event.output.reason === 'expired', target: 'done', actions: say('enroll-expired') },
          { target: 'done', actions: say('enroll-no-match') },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    /** "A card has been enrolled" [OK]. */
    enrolled: {
      on: {
        button: { target: 'done' },
        text: [
          {
            guard: 'looks like pin',
            actions: [deleteInput, reply(() => ({ kind: 'text', msg: { key: 'enroll-secret-deleted' }, buttons: [[button('btn-ok', 'ok')]] }))],
          },
          { target: 'done' },
        ],
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
