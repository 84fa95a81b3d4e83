/**
 * Activation: (username, unless a deep link or the sign-up said whose it is) → paste the code from
 * the verification e-mail → CAPTCHA → [ACTIVATE] → "Activate success" [OK]. The code is a secret
 * state: checked in the turn it arrives (expired, used, too many tries, from an older e-mail …).
 * [Resend code] e-mails a new one (rate-limited) and makes older codes stop working. An unknown
 * username is treated exactly like a known one (its codes are just never right), so the chat does
 * not reveal who signed up.
 */
import { assign, setup } from 'xstate';
import { captchaMachine, captchaStep } from '../shared/captcha.js';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, Reply, UserEvent } from '../shared/protocol.js';
import { button, reply, say, type AnyAction } from '../shared/say.js';
import { normaliseCode, usernameProblem } from '../signup/rules.js';
import { B, buttonOf, outputOf, question, textOf, useText } from '../signup/steps.js';

/** What checking a typed code found (mirrors the code service). */
export type CodeResult =
  | { ok: true; codeId: string }
  | { ok: false; reason: 'wrong' | 'older'; left: number }
  | { ok: false; reason: 'expired' | 'used' | 'too-many' | 'unreadable' };

/** What asking for a new code found. */
export type ResendResult = { sent: true } | { sent: false; reason: 'too-soon'; seconds: number } | { sent: false; reason: 'too-many'; minutes: number };

/** `/start act_<token>`: the deep link in the verification e-mail starts activation with the token. */
export const ACTIVATION_DEEP_LINK_PREFIX = 'act_';

/** Prefix of the start argument that names the username instead of a link token (from sign-up / log-in). */
export const USER_ARG = 'user:';

interface ActivationContext {
  chatKey: string;
  lang: Lang;
  arg: string;
  username: string;
  memberId: string | null;
  codeId: string | null;
  activated: boolean;
}

const isButton = (v: string) => ({ event }: { event: UserEvent }) => buttonOf(event) === v;

/** Says what a failed code check means and what to do (each with an example or a way forward). */
export const codeFailure = reply<unknown, unknown>(({ event }) => {
  const r = outputOf<CodeResult>(event);
  if (r.ok) return { kind: 'text', msg: { key: 'onb-code-wrong' } };
  const vars = 'left' in r ? { left: r.left } : undefined;
  return { kind: 'text', msg: { key: `onb-code-${r.reason}`, ...(vars ? { vars } : {}) }, buttons: [[button('onb-btn-resend', B.resend)]] };
});

/** Says how asking for a new code went. */
export const resendAnswer = reply<unknown, unknown>(({ event }): Reply => {
  const r = outputOf<ResendResult>(event);
  const buttons = [[button('onb-btn-resend', B.resend)]];
  if (r.sent) return { kind: 'text', msg: { key: 'onb-code-resent' }, buttons };
  return r.reason === 'too-soon'
    ? { kind: 'text', msg: { key: 'onb-code-resend-wait', vars: { seconds: r.seconds } }, buttons }
    : { kind: 'text', msg: { key: 'onb-code-resend-limit', vars: { minutes: r.minutes } }, buttons };
});

/** A state's text handler for a code: unreadable input is explained here; the rest is checked. */
function codeTextHandlers(checking: string) {
  return [
    { guard: ({ event }: { event: UserEvent }) => normaliseCode(textOf(event)) === null, actions: say('onb-code-unreadable', undefined, [[button('onb-btn-resend', B.resend)]]) },
    { target: checking },
  ];
}

/**
 * The code-entry states shared by activation and forgot-password: `code` (asks with `prompt`, tagged
 * secret, offers [Resend code]), `checking` (port 'check code' with `checkInput(context)` and the
 * code; on success keeps `codeId` and goes to `then`) and `resending` (port 'resend code' with
 * `resendInput(context)`).
 */
export function codeEntryStates<C extends { codeId: string | null }>(opts: { prompt: AnyAction; then: string; checkInput: (context: C) => object; resendInput: (context: C) => object }): Record<string, AnyAction> {
  return {
    code: question(opts.prompt, { text: codeTextHandlers('checking'), button: [{ guard: isButton(B.resend), target: 'resending' }, { actions: useText }] }, { tags: ['secret'] }),
    checking: {
      invoke: {
        src: 'check code',
        input: ({ context, event }: { context: C; event: unknown }) => ({ ...opts.checkInput(context), code: textOf(event) }),
        onDone: [
          { guard: ({ event }: { event: { output: CodeResult } }) => event.output.ok, target: opts.then, actions: assign({ codeId: ({ event }: { event: { output: { codeId: string } } }) => event.output.codeId }) as AnyAction },
          { target: 'code.waiting', actions: codeFailure },
        ],
      },
    },
    resending: {
      invoke: {
        src: 'resend code',
        input: ({ context }: { context: C }) => opts.resendInput(context),
        onDone: { target: 'code.waiting', actions: resendAnswer },
      },
    },
  };
}

/** The activation flow. Ports: 'claim link', 'find pending', 'check code', 'resend code', 'activate'. */
export const activationMachine = setup({
  types: {} as { context: ActivationContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    captcha: captchaMachine,
    'claim link': port<{ token: string }, { id: string; username: string } | null>(),
    'find pending': port<{ username: string }, { id: string; username: string } | null>(),
    'check code': port<{ memberId: string | null; code: string }, CodeResult>(),
    'resend code': port<{ memberId: string | null }, ResendResult>(),
    activate: port<{ memberId: string | null; codeId: string | null }, boolean>(),
  },
}).createMachine({
  id: 'activation',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, arg: input.arg ?? '', username: '', memberId: null, codeId: null, activated: false }),
  initial: 'start',
  states: {
    start: {
      always: [
        { guard: ({ context }) => context.arg.startsWith(USER_ARG), target: 'lookingUp', actions: assign({ username: ({ context }) => context.arg.slice(USER_ARG.length), arg: '' }) },
        { guard: ({ context }) => context.arg !== '', target: 'claiming' },
        { target: 'username' },
      ],
    },
    claiming: {
      invoke: {
        src: 'claim link',
        input: ({ context }) => ({ token: context.arg }),
        onDone: [
          {
            guard: ({ event }) => event.output !== null,
            target: 'code',
            actions: assign(({ event }) => ({ memberId: event.output!.id, username: event.output!.username, arg: '' })),
          },
          { target: 'username', actions: [say('activation-link-invalid'), assign({ arg: '' })] },
        ],
      },
    },
    username: question('activation-ask-username', {
      text: [
        {
          guard: ({ event }: { event: UserEvent }) => usernameProblem(textOf(event)) !== null,
          actions: reply(({ event }: { event: UserEvent }) => ({ kind: 'text', msg: { key: `signup-username-${usernameProblem(textOf(event))}` } })),
        },
        { target: 'lookingUp', actions: assign({ username: ({ event }: { event: UserEvent }) => textOf(event).trim() }) },
      ],
      button: { actions: useText },
    }),
    lookingUp: {
      invoke: {
        src: 'find pending',
        input: ({ context }) => ({ username: context.username }),
        // Known or not, the chat goes on the same way.
        onDone: { target: 'code', actions: assign({ memberId: ({ event }) => event.output?.id ?? null }) },
      },
    },
    ...codeEntryStates<ActivationContext>({
      prompt: reply<ActivationContext, unknown>(({ context }) => ({
        kind: 'text',
        msg: { key: 'activation-ask-code', vars: { username: context.username } },
        buttons: [[button('onb-btn-resend', B.resend)]],
      })),
      then: 'captcha',
      checkInput: (context) => ({ memberId: context.memberId }),
      resendInput: (context) => ({ memberId: context.memberId }),
    }),
    captcha: captchaStep({ then: 'activating', paused: 'captchaRetry', confirm: 'captcha-btn-activate' }),
    captchaRetry: {
      entry: say('onb-captcha-retry', undefined, [[button('onb-btn-try-again', B.retry)]]),
      on: { button: { guard: isButton(B.retry), target: 'captcha' }, text: { actions: say('onb-use-buttons', undefined, [[button('onb-btn-try-again', B.retry)]]) } },
    },
    activating: {
      invoke: {
        src: 'activate',
        input: ({ context }) => ({ memberId: context.memberId, codeId: context.codeId }),
        onDone: [
          { guard: ({ event }) => event.output, target: 'success', actions: assign({ activated: true }) },
          { target: 'done', actions: say('activation-failed') },
        ],
      },
    },
    success: {
      entry: say('activation-success', undefined, [[button('btn-ok', B.ok)]]),
      on: { button: { target: 'done' }, text: { target: 'done' } },
    },
    done: { type: 'final' },
  },
  output: ({ context }): FlowOutput => (context.activated ? { next: 'login' } : {}),
});
