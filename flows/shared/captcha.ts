/**
 * The CAPTCHA sub-flow every guarded action embeds (sign-up, activation, log-in, card enrolment …).
 *
 * In chat it reads:
 *   bot:  [image] "Enter the 5 characters shown … (for example: hN7qE)"   [Reload] [Cancel]
 *   user: hN7qE
 *   bot:  "Correct. Press the button below to continue."                  [ACTIVATE] [Cancel]
 * The confirm button carries the label the guide gives that screen ([Submit], [ACTIVATE],
 * [CONTINUE], [ENROLL]); the parent passes it as `confirm`. Without `confirm` the sub-flow finishes as
 * soon as the answer is right. A wrong answer says so and draws a new image; the parent's context is
 * never touched (the sub-flow is a separate child machine). Pure: side effects are the two ports
 * 'new captcha' and 'check captcha', provided by `provideCaptcha(services)` in `src/app/flows.ts`.
 *
 * Embedding, in a parent flow whose context has `chatKey` and `lang`:
 * ```ts
 * import { captchaMachine, captchaStep } from './captcha.js';
 * const flow = setup({ actors: { captcha: captchaMachine, … }, … }).createMachine({
 *   states: {
 *     review: { on: { button: { guard: isSubmit, target: 'captcha' } } },
 *     captcha: captchaStep({ then: 'submitting', paused: 'done', cancelled: 'done', confirm: 'btn-activate' }),
 *     submitting: { … },
 *   },
 * });
 * ```
 */
import { assign, sendTo, setup } from 'xstate';
import { port } from './port.js';
import type { Button, Lang, UserEvent } from './protocol.js';
import { button, msg, reply, say, type AnyAction } from './say.js';

/** What the parent gives the sub-flow. */
export interface CaptchaInput {
  chatKey: string;
  lang: Lang;
  /** Label key of the confirm button shown after a right answer (e.g. `btn-activate`); none = finish at once. */
  confirm?: string;
  /** Offer a [Cancel] button (the sub-flow then finishes with `cancelled: true`). */
  cancellable?: boolean;
}

/** How the sub-flow ended. `paused`: too many wrong answers, the user was told to wait. */
export interface CaptchaOutput {
  solved: boolean;
  paused?: boolean;
  cancelled?: boolean;
}

/** Output of the 'new captcha' port: a PNG (base64) with its terminal rendering, or a pause. */
export type NewCaptchaResult = { kind: 'image'; png: string; terminal: string } | { kind: 'paused'; minutes: number };

/** Output of the 'check captcha' port. */
export type CheckCaptchaResult =
  | { outcome: 'solved' }
  | { outcome: 'wrong'; left: number }
  | { outcome: 'expired' }
  | { outcome: 'paused'; minutes: number };

/** Button values the sub-flow reacts to. */
export const CAPTCHA_BUTTONS = { reload: 'captcha:reload', confirm: 'captcha:confirm', cancel: 'captcha:cancel' } as const;

interface CaptchaContext {
  chatKey: string;
  lang: Lang;
  confirm: string | null;
  cancellable: boolean;
  result: 'solved' | 'paused' | 'cancelled' | null;
}

const cancelRow = (c: CaptchaContext): Button[] => (c.cancellable ? [button('btn-cancel', CAPTCHA_BUTTONS.cancel)] : []);
const isButton = (value: string) => ({ event }: { event: UserEvent }) => event.type === 'button' && event.value === value;
const doneOutput = <T>(e: unknown) => (e as { output: T }).output;

/** The CAPTCHA sub-flow: image → answer → (confirm) → `{ solved: true }`. See the file comment. */
export const captchaMachine = setup({
  types: {} as { context: CaptchaContext; input: CaptchaInput; events: UserEvent; output: CaptchaOutput },
  actors: {
    'new captcha': port<{ chatKey: string }, NewCaptchaResult>(),
    'check captcha': port<{ chatKey: string; answer: string }, CheckCaptchaResult>(),
  },
  actions: {
    'show confirm': reply<CaptchaContext, unknown>(({ context }) => ({
      kind: 'text',
      msg: msg('captcha-correct'),
      buttons: [[button(context.confirm ?? 'btn-ok', CAPTCHA_BUTTONS.confirm), ...cancelRow(context)]],
    })),
  },
}).createMachine({
  id: 'captcha',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, confirm: input.confirm ?? null, cancellable: input.cancellable ?? false, result: null }),
  initial: 'drawing',
  states: {
    drawing: {
      invoke: {
        src: 'new captcha',
        input: ({ context }) => ({ chatKey: context.chatKey }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'paused',
            target: 'paused',
            actions: reply(({ event }) => ({ kind: 'text', msg: msg('captcha-paused', { minutes: (doneOutput<{ minutes: number }>(event)).minutes }) })),
          },
          {
            target: 'asking',
            actions: reply<CaptchaContext, unknown>(({ context, event }) => {
              const out = doneOutput<{ png: string; terminal: string }>(event);
              return {
                kind: 'image',
                png: out.png,
                terminal: out.terminal,
                caption: msg('captcha-prompt'),
                buttons: [[button('captcha-btn-reload', CAPTCHA_BUTTONS.reload), ...cancelRow(context)]],
                // [Reload] swaps the picture in place (Telegram edits the photo message).
                replace: true,
              };
            }),
          },
        ],
      },
    },
    asking: {
      on: {
        text: 'checking',
        button: [
          { guard: isButton(CAPTCHA_BUTTONS.reload), target: 'drawing' },
          { guard: isButton(CAPTCHA_BUTTONS.cancel), target: 'cancelled' },
          { actions: say('captcha-type-it') },
        ],
      },
    },
    checking: {
      invoke: {
        src: 'check captcha',
        input: ({ context, event }) => ({ chatKey: context.chatKey, answer: (event as { text?: string }).text ?? '' }),
        onDone: [
          { guard: ({ context, event }) => event.output.outcome === 'solved' && context.confirm === null, target: 'solved' },
          { guard: ({ event }) => event.output.outcome === 'solved', target: 'confirming' },
          { guard: ({ event }) => event.output.outcome === 'wrong', target: 'drawing', actions: say('captcha-wrong') },
          { guard: ({ event }) => event.output.outcome === 'expired', target: 'drawing', actions: say('captcha-expired') },
          {
            target: 'paused',
            actions: reply(({ event }) => ({ kind: 'text', msg: msg('captcha-paused', { minutes: doneOutput<{ minutes: number }>(event).minutes }) })),
          },
        ],
      },
    },
    /** Right answer: show the parent's confirm button ([ACTIVATE] …). */
    confirming: {
      entry: 'show confirm',
      on: {
        button: [
          { guard: isButton(CAPTCHA_BUTTONS.confirm), target: 'solved' },
          { guard: isButton(CAPTCHA_BUTTONS.cancel), target: 'cancelled' },
        ],
        text: { actions: 'show confirm' },
      },
    },
    solved: { type: 'final', entry: assign({ result: 'solved' as const }) },
    paused: { type: 'final', entry: assign({ result: 'paused' as const }) },
    cancelled: { type: 'final', entry: assign({ result: 'cancelled' as const }) },
  },
  output: ({ context }) => ({
    solved: context.result === 'solved',
    ...(context.result === 'paused' ? { paused: true } : {}),
    ...(context.result === 'cancelled' ? { cancelled: true } : {}),
  }),
});

/** Options of {@link captchaStep}. Targets are sibling state names of the step in the parent. */
export interface CaptchaStepOptions {
  /** Where to go once solved (and confirmed). */
  then: string;
  /** Where to go when the chat was paused for too many wrong answers (the user was already told). */
  paused: string;
  /** Offer [Cancel] and go here when pressed; without it there is no cancel button (/cancel still works). */
  cancelled?: string;
  /** Label key of the confirm button after a right answer (`btn-submit`, `btn-activate` …); omit to continue at once. */
  confirm?: string;
}

/**
 * A parent state node that runs the CAPTCHA sub-flow: invokes actor `captcha` (declare
 * `actors: { captcha: captchaMachine }` in the parent's setup; the parent's context must hold
 * `chatKey` and `lang`), forwards the user's text and button events to it, and moves on when it is
 * done. Nothing of the parent's context changes while the CAPTCHA runs.
 */
export function captchaStep(o: CaptchaStepOptions): AnyAction {
  const forward = sendTo('captcha', ({ event }: { event: UserEvent }) => event);
  return {
    invoke: {
      id: 'captcha',
      src: 'captcha',
      input: ({ context }: { context: { chatKey: string; lang: Lang } }): CaptchaInput => ({
        chatKey: context.chatKey,
        lang: context.lang,
        ...(o.confirm ? { confirm: o.confirm } : {}),
        cancellable: o.cancelled !== undefined,
      }),
      onDone: [
        { guard: ({ event }: { event: { output: CaptchaOutput } }) => event.output.solved, target: o.then },
        { guard: ({ event }: { event: { output: CaptchaOutput } }) => event.output.cancelled === true && o.cancelled !== undefined, target: o.cancelled ?? o.paused },
        { target: o.paused },
      ],
    },
    on: { text: { actions: forward }, button: { actions: forward } },
  };
}
