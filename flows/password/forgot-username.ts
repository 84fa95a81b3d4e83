/**
 * Forgot username: e-mail address → CAPTCHA → the username is e-mailed to that address. The answer
 * is the same whether or not the address has an account. The CAPTCHA is there because this flow
 * sends e-mail to any address typed, like forgot password: without it a script could use the bot
 * to mail many inboxes (each address is also limited to one mail a minute).
 */
import { assign, setup } from 'xstate';
import { captchaMachine, captchaStep } from '../shared/captcha.js';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';
import { emailProblem } from '../signup/rules.js';
import { B, buttonOf, question, textOf, useText } from '../signup/steps.js';

interface ForgotUsernameContext {
  chatKey: string;
  lang: Lang;
  email: string;
}

const retryButtons = [[button('onb-btn-try-again', B.retry)]];

/** The forgot-username flow. Port: 'send username'. */
export const forgotUsernameMachine = setup({
  types: {} as { context: ForgotUsernameContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: { captcha: captchaMachine, 'send username': port<{ email: string }, void>() },
}).createMachine({
  id: 'forgot-username',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, email: '' }),
  initial: 'email',
  states: {
    email: question('forgot-username-ask-email', {
      text: [
        {
          guard: ({ event }: { event: UserEvent }) => emailProblem(textOf(event)) !== null,
          actions: reply(({ event }: { event: UserEvent }) => ({ kind: 'text', msg: { key: `signup-email-${emailProblem(textOf(event))}` } })),
        },
        { target: 'captcha', actions: assign({ email: ({ event }: { event: UserEvent }) => textOf(event).trim() }) },
      ],
      button: { actions: useText },
    }),
    captcha: captchaStep({ then: 'sending', paused: 'captchaRetry' }),
    captchaRetry: {
      entry: say('onb-captcha-retry', undefined, retryButtons),
      on: { button: { guard: ({ event }) => buttonOf(event) === B.retry, target: 'captcha' }, text: { actions: say('onb-use-buttons', undefined, retryButtons) } },
    },
    sending: {
      invoke: {
        src: 'send username',
        input: ({ context }) => ({ email: context.email }),
        onDone: { target: 'done', actions: [say('forgot-username-sent'), assign({ email: '' })] },
      },
    },
    done: { type: 'final' },
  },
  output: (): FlowOutput => ({}),
});
