/**
 * Forgot username: e-mail address → the username is e-mailed to that address. The answer is the
 * same whether or not the address has an account.
 */
import { setup } from 'xstate';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, UserEvent } from '../shared/protocol.js';
import { reply, say } from '../shared/say.js';
import { emailProblem } from '../signup/rules.js';
import { question, textOf, useText } from '../signup/steps.js';

/** The forgot-username flow. Port: 'send username'. */
export const forgotUsernameMachine = setup({
  types: {} as { context: { chatKey: string }; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: { 'send username': port<{ email: string }, void>() },
}).createMachine({
  id: 'forgot-username',
  context: ({ input }) => ({ chatKey: input.chatKey }),
  initial: 'email',
  states: {
    email: question('forgot-username-ask-email', {
      text: [
        {
          guard: ({ event }: { event: UserEvent }) => emailProblem(textOf(event)) !== null,
          actions: reply(({ event }: { event: UserEvent }) => ({ kind: 'text', msg: { key: `signup-email-${emailProblem(textOf(event))}` } })),
        },
        { target: 'sending' },
      ],
      button: { actions: useText },
    }),
    sending: {
      invoke: {
        src: 'send username',
        input: ({ event }) => ({ email: textOf(event).trim() }),
        onDone: { target: 'done', actions: say('forgot-username-sent') },
      },
    },
    done: { type: 'final' },
  },
  output: (): FlowOutput => ({}),
});
