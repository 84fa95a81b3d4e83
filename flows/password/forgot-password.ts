/**
 * Forgot password: username → a code is e-mailed to the registered address → code → new password →
 * new password again. Unknown usernames are answered exactly like known ones (their codes are never
 * right). Setting the new password ends every session of the member.
 */
import { assign, setup } from 'xstate';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';
import { codeEntryStates, type CodeResult, type ResendResult } from '../activation/machine.js';
import type { NewPasswordResult } from '../signup/machine.js';
import { usernameProblem } from '../signup/rules.js';
import { B, question, textOf, useText } from '../signup/steps.js';
import { newPasswordStates } from './new-password.js';

interface ResetContext {
  chatKey: string;
  lang: Lang;
  username: string;
  memberId: string | null;
  codeId: string | null;
  passwordHash: string;
  done: boolean;
}

/** The forgot-password flow. Ports: 'start reset', 'check code', 'resend code', 'check new password', 'password matches', 'set password'. */
export const forgotPasswordMachine = setup({
  types: {} as { context: ResetContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'start reset': port<{ username: string }, { memberId: string | null }>(),
    'check code': port<{ memberId: string | null; code: string }, CodeResult>(),
    'resend code': port<{ username: string }, ResendResult>(),
    'check new password': port<{ password: string; username: string | null; memberId: string | null }, NewPasswordResult>(),
    'password matches': port<{ hash: string; password: string }, boolean>(),
    'set password': port<{ memberId: string; codeId: string; hash: string }, boolean>(),
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
        { target: 'requesting', actions: assign({ username: ({ event }: { event: UserEvent }) => textOf(event).trim() }) },
      ],
      button: { actions: useText },
    }),
    requesting: {
      invoke: {
        src: 'start reset',
        input: ({ context }) => ({ username: context.username }),
        onDone: { target: 'code', actions: [assign({ memberId: ({ event }) => event.output.memberId }), say('reset-sent')] },
      },
    },
    ...codeEntryStates<ResetContext>({
      prompt: say('reset-ask-code', undefined, [[button('onb-btn-resend', B.resend)]]),
      then: 'password',
      resendInput: (context) => ({ username: context.username }),
    }),
    ...newPasswordStates('reset-ask-password'),
    saving: {
      invoke: {
        src: 'set password',
        input: ({ context }) => ({ memberId: context.memberId!, codeId: context.codeId!, hash: context.passwordHash }),
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
