/**
 * Forgot password: username → CAPTCHA → a code is e-mailed to the registered address → code → new
 * password → new password again. The CAPTCHA guards the e-mail, as sign-up and log-in guard theirs.
 * Unknown usernames are answered exactly like known ones, and cost the same: the code is asked for
 * and checked by username, and the service looks the account up where the chat cannot time it.
 * Setting the new password ends every session of the member.
 */
import { assign, setup } from 'xstate';
import { captchaMachine, captchaStep } from '../shared/captcha.js';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';
import { codeEntryStates, resendAnswer, type CodeResult, type ResendResult } from '../activation/machine.js';
import type { NewPasswordResult } from '../signup/machine.js';
import { usernameProblem } from '../signup/rules.js';
import { B, buttonOf, question, textOf, useText } from '../signup/steps.js';
import { newPasswordStates } from './new-password.js';

interface ResetContext {
  chatKey: string;
  lang: Lang;
  username: string;
  /** Only for the new-password rule (never set: the service knows whose password it is). */
  memberId: string | null;
  codeId: string | null;
  passwordHash: string;
  done: boolean;
}

const retryButtons = [[button('onb-btn-try-again', B.retry)]];

/** The forgot-password flow. Ports: 'start reset', 'check code', 'resend code', 'check new password', 'password matches', 'set password'. */
export const forgotPasswordMachine = setup({
  types: {} as { context: ResetContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    captcha: captchaMachine,
    'start reset': port<{ username: string }, ResendResult>(),
    'check code': port<{ username: string; code: string }, CodeResult>(),
    'resend code': port<{ username: string }, ResendResult>(),
    'check new password': port<{ password: string; username: string | null; memberId: string | null }, NewPasswordResult>(),
    'password matches': port<{ hash: string; password: string }, boolean>(),
    'set password': port<{ codeId: string; hash: string }, boolean>(),
  },
}).createMachine({
  id: 'forgot-password',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, username: '', memberId: null, codeId: null, passwordHash: '', done: false }),
  initial: 'username',
  states: {
    username: question('reset-ask-username', {
      text: [
        {
          guard: ({ event }: { event: UserEvent }) => usernameProblem(textOf(event)) !== null,
          actions: reply(({ event }: { event: UserEvent }) => ({ kind: 'text', msg: { key: usernameProblem(textOf(event)) === 'email' ? 'login-username-not-email' : `signup-username-${usernameProblem(textOf(event))}` } })),
        },
        { target: 'captcha', actions: assign({ username: ({ event }: { event: UserEvent }) => textOf(event).trim() }) },
      ],
      button: { actions: useText },
    }),
    captcha: captchaStep({ then: 'requesting', paused: 'captchaRetry' }),
    captchaRetry: {
      entry: say('onb-captcha-retry', undefined, retryButtons),
      on: { button: { guard: ({ event }) => buttonOf(event) === B.retry, target: 'captcha' }, text: { actions: say('onb-use-buttons', undefined, retryButtons) } },
    },
    requesting: {
      invoke: {
        src: 'start reset',
        input: ({ context }) => ({ username: context.username }),
        onDone: [
          { guard: ({ event }) => event.output.sent, target: 'code', actions: say('reset-sent') },
          // Asked again too soon (a code may be on its way already): say when, then wait for the code.
          { target: 'code.waiting', actions: resendAnswer },
        ],
      },
    },
    ...codeEntryStates<ResetContext>({
      prompt: say('reset-ask-code', undefined, [[button('onb-btn-resend', B.resend)]]),
      then: 'password',
      checkInput: (context) => ({ username: context.username }),
      resendInput: (context) => ({ username: context.username }),
    }),
    ...newPasswordStates('reset-ask-password'),
    saving: {
      invoke: {
        src: 'set password',
        input: ({ context }) => ({ codeId: context.codeId!, hash: context.passwordHash }),
        onDone: [
          { guard: ({ event }) => event.output, target: 'finished', actions: [say('reset-done'), assign({ done: true, passwordHash: '' })] },
          { target: 'finished', actions: say('reset-failed') },
        ],
      },
    },
    finished: { type: 'final' },
  },
  output: ({ context }): FlowOutput => (context.done ? { next: 'login' } : {}),
});
