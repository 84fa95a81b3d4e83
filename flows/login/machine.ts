/**
 * Log in: username → password → CAPTCHA → [CONTINUE]. The password is a secret state: it is checked
 * (argon2id) in the turn it arrives and only the outcome is kept; the outcome is revealed after the
 * CAPTCHA, so the CAPTCHA guards every guess. Every wrong username or password gets one answer.
 * A pending account is offered activation; a locked one is told how long to wait.
 */
import { assign, setup } from 'xstate';
import { captchaMachine, captchaStep } from '../shared/captcha.js';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, Session, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';
import { USER_ARG } from '../activation/machine.js';
import { looksLikeEmail, usernameProblem } from '../signup/rules.js';
import { B, buttonOf, question, textOf, useText } from '../signup/steps.js';

/** What the password check found (revealed only after the CAPTCHA). */
export type LoginResult =
  | { outcome: 'ok'; memberId: string }
  | { outcome: 'pending'; username: string }
  | { outcome: 'locked'; minutes: number }
  | { outcome: 'bad' };

interface LoginContext {
  chatKey: string;
  lang: Lang;
  username: string;
  result: LoginResult | null;
  session: Session | null;
  memberLang: Lang | null;
  next: string | null;
}

const isButton = (v: string) => ({ event }: { event: UserEvent }) => buttonOf(event) === v;
const outcomeIs = (o: LoginResult['outcome']) => ({ context }: { context: LoginContext }) => context.result?.outcome === o;

/** The log-in flow. Ports: 'check login', 'start session'. */
export const loginMachine = setup({
  types: {} as { context: LoginContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    captcha: captchaMachine,
    'check login': port<{ username: string; password: string }, LoginResult>(),
    'start session': port<{ memberId: string; chatKey: string }, { session: Session; lang: Lang }>(),
  },
}).createMachine({
  id: 'login',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, username: '', result: null, session: null, memberLang: null, next: null }),
  initial: 'username',
  states: {
    username: question('login-ask-username', {
      text: [
        { guard: ({ event }: { event: UserEvent }) => looksLikeEmail(textOf(event)), actions: say('login-username-not-email') },
        {
          guard: ({ event }: { event: UserEvent }) => usernameProblem(textOf(event)) !== null,
          actions: reply(({ event }: { event: UserEvent }) => ({ kind: 'text', msg: { key: `signup-username-${usernameProblem(textOf(event))}` } })),
        },
        { target: 'password', actions: assign({ username: ({ event }: { event: UserEvent }) => textOf(event).trim() }) },
      ],
      button: { actions: useText },
    }),
    password: question('login-ask-password', { text: 'checking', button: { actions: useText } }, { tags: ['secret'] }),
    checking: {
      invoke: {
        src: 'check login',
        input: ({ context, event }) => ({ username: context.username, password: textOf(event) }),
        onDone: { target: 'captcha', actions: assign({ result: ({ event }) => event.output }) },
      },
    },
    captcha: captchaStep({ then: 'deciding', paused: 'captchaRetry', confirm: 'captcha-btn-continue' }),
    captchaRetry: {
      entry: say('onb-captcha-retry', undefined, [[button('onb-btn-try-again', B.retry)]]),
      on: { button: { guard: isButton(B.retry), target: 'captcha' }, text: { actions: say('onb-use-buttons', undefined, [[button('onb-btn-try-again', B.retry)]]) } },
    },
    deciding: {
      always: [
        { guard: outcomeIs('ok'), target: 'starting' },
        { guard: outcomeIs('pending'), target: 'pending' },
        {
          guard: outcomeIs('locked'),
          target: 'done',
          actions: reply<LoginContext, unknown>(({ context }) => ({ kind: 'text', msg: { key: 'login-locked', vars: { minutes: (context.result as { minutes: number }).minutes } } })),
        },
        { target: 'username', actions: [say('login-bad'), assign({ result: null, username: '' })] },
      ],
    },
    starting: {
      invoke: {
        src: 'start session',
        input: ({ context }) => ({ memberId: (context.result as { memberId: string }).memberId, chatKey: context.chatKey }),
        onDone: {
          target: 'done',
          actions: [
            assign({ session: ({ event }) => event.output.session, memberLang: ({ event }) => event.output.lang, result: null }),
            reply<LoginContext, unknown>(({ event }) => ({ kind: 'text', msg: { key: 'login-welcome', vars: { username: (event as { output: { session: Session } }).output.session.username } } })),
          ],
        },
      },
    },
    pending: {
      entry: say('login-pending', undefined, [[button('login-btn-activate', B.activate), button('btn-cancel', B.cancel)]]),
      on: {
        button: [
          { guard: isButton(B.activate), target: 'done', actions: assign({ next: 'activate' }) },
          { target: 'done' },
        ],
        // A reply without buttons would expire the ones above: show them again.
        text: { actions: say('onb-use-buttons', undefined, [[button('login-btn-activate', B.activate), button('btn-cancel', B.cancel)]]) },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }): FlowOutput => {
    if (context.session) return { session: context.session, ...(context.memberLang ? { lang: context.memberLang } : {}) };
    if (context.next) return { next: context.next, nextArg: `${USER_ARG}${context.username}` };
    return {};
  },
});
