/**
 * Sign-up: username → e-mail → full name → password → password again → review [Submit] [Edit …]
 * [Cancel] → CAPTCHA → submit. Each answer is checked when it arrives; a refused one is explained
 * with an example and asked again, keeping every earlier answer. Passwords are secret states: the
 * password is checked and hashed in the turn it arrives, only the hash is kept, and "password
 * again" is compared against that hash. Submitting chains to activation (the code is e-mailed).
 */
import { assign, setup } from 'xstate';
import { captchaMachine, captchaStep } from '../shared/captcha.js';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';
import { emailProblem, nameProblem, normaliseName, usernameProblem } from './rules.js';
import { B, buttonOf, outputOf, passwordRefused, question, textOf, useText } from './steps.js';

/** A checked new password: its hash, or why it was refused. */
export type NewPasswordResult = { ok: true; hash: string } | { ok: false; problem: string; advice?: { warning: string; suggestion: string } };

interface SignupContext {
  chatKey: string;
  lang: Lang;
  username: string;
  email: string;
  fullName: string;
  passwordHash: string;
  /** Editing one answer from the review: go back to the review after it. */
  editing: boolean;
  /** The username at the time the password was checked (the password must not contain it). */
  passwordFor: string;
  outcome: 'sent' | 'cancelled' | null;
}

const isButton = (v: string) => ({ event }: { event: UserEvent }) => buttonOf(event) === v;

/** What 'register' answers: `sent-with-link` when the verification e-mail also carries a link back into the chat. */
export type RegisterResult = 'sent' | 'sent-with-link' | 'username-taken';

/** The sign-up flow. Ports: 'username free', 'check new password', 'password matches', 'register'. */
export const signupMachine = setup({
  types: {} as { context: SignupContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    captcha: captchaMachine,
    'username free': port<{ username: string }, boolean>(),
    'check new password': port<{ password: string; username: string | null; memberId: string | null }, NewPasswordResult>(),
    'password matches': port<{ hash: string; password: string }, boolean>(),
    register: port<{ username: string; email: string; fullName: string; passwordHash: string; lang: Lang }, RegisterResult>(),
  },
  actions: {
    'show review': reply<SignupContext, unknown>(({ context }) => ({
      kind: 'text',
      msg: { key: 'signup-review', vars: { username: context.username, email: context.email, fullName: context.fullName } },
      buttons: [
        [button('signup-btn-submit', B.submit)],
        [button('signup-edit-username', `${B.edit}username`), button('signup-edit-email', `${B.edit}email`)],
        [button('signup-edit-name', `${B.edit}name`), button('signup-edit-password', `${B.edit}password`)],
        [button('btn-cancel', B.cancel)],
      ],
    })),
  },
  guards: {
    editing: ({ context }) => context.editing,
  },
}).createMachine({
  id: 'signup',
  context: ({ input }) => ({
    chatKey: input.chatKey,
    lang: input.lang,
    username: '',
    email: '',
    fullName: '',
    passwordHash: '',
    editing: false,
    passwordFor: '',
    outcome: null,
  }),
  initial: 'username',
  entry: say('signup-intro'),
  states: {
    username: question('signup-ask-username', {
      text: [
        {
          guard: ({ event }: { event: UserEvent }) => usernameProblem(textOf(event)) !== null,
          actions: reply(({ event }) => ({ kind: 'text', msg: { key: `signup-username-${usernameProblem(textOf(event))}` } })),
        },
        { target: 'checkingUsername', actions: assign({ username: ({ event }) => textOf(event).trim() }) },
      ],
      button: { actions: useText },
    }),
    checkingUsername: {
      invoke: {
        src: 'username free',
        input: ({ context }) => ({ username: context.username }),
        onDone: [
          { guard: ({ event }) => !event.output, target: 'username.waiting', actions: say('signup-username-taken') },
          // A new username may now be inside the password: choose the password again.
          { guard: ({ context }) => context.editing && context.passwordFor !== '' && context.passwordFor.toLowerCase() !== context.username.toLowerCase(), target: 'password', actions: say('signup-password-again-after-username') },
          { guard: 'editing', target: 'review' },
          { target: 'email' },
        ],
      },
    },
    email: question('signup-ask-email', {
      text: [
        {
          guard: ({ event }: { event: UserEvent }) => emailProblem(textOf(event)) !== null,
          actions: reply(({ event }) => ({ kind: 'text', msg: { key: `signup-email-${emailProblem(textOf(event))}` } })),
        },
        { guard: 'editing', target: 'review', actions: assign({ email: ({ event }) => textOf(event).trim() }) },
        { target: 'fullName', actions: assign({ email: ({ event }) => textOf(event).trim() }) },
      ],
      button: { actions: useText },
    }),
    fullName: question('signup-ask-name', {
      text: [
        {
          guard: ({ event }: { event: UserEvent }) => nameProblem(textOf(event)) !== null,
          actions: reply(({ event }) => ({ kind: 'text', msg: { key: `signup-name-${nameProblem(textOf(event))}` } })),
        },
        { guard: 'editing', target: 'review', actions: assign({ fullName: ({ event }) => normaliseName(textOf(event)) }) },
        { target: 'password', actions: assign({ fullName: ({ event }) => normaliseName(textOf(event)) }) },
      ],
      button: { actions: useText },
    }),
    password: question('signup-ask-password', { text: 'checkingPassword', button: { actions: useText } }, { tags: ['secret'] }),
    checkingPassword: {
      invoke: {
        src: 'check new password',
        input: ({ context, event }) => ({ password: textOf(event), username: context.username, memberId: null }),
        onDone: [
          {
            guard: ({ event }) => !event.output.ok,
            target: 'password.waiting',
            actions: passwordRefused,
          },
          {
            target: 'passwordAgain',
            actions: assign({
              passwordHash: ({ event }) => (outputOf<{ hash: string }>(event)).hash,
              passwordFor: ({ context }) => context.username,
            }),
          },
        ],
      },
    },
    passwordAgain: question(
      'signup-ask-password-again',
      {
        text: 'comparingPassword',
        button: [{ guard: isButton(B.repeatPassword), target: 'password' }, { actions: useText }],
      },
      { tags: ['secret'] },
    ),
    comparingPassword: {
      invoke: {
        src: 'password matches',
        input: ({ context, event }) => ({ hash: context.passwordHash, password: textOf(event) }),
        onDone: [
          {
            guard: ({ event }) => !event.output,
            target: 'passwordAgain.waiting',
            actions: say('onb-password-mismatch', undefined, [[button('onb-choose-password-again', B.repeatPassword)]]),
          },
          { target: 'review' },
        ],
      },
    },
    review: {
      entry: [assign({ editing: false }), 'show review'],
      on: {
        button: [
          { guard: isButton(B.submit), target: 'captcha' },
          { guard: isButton(B.cancel), target: 'done', actions: assign({ outcome: 'cancelled' as const }) },
          { guard: isButton(`${B.edit}username`), target: 'username', actions: assign({ editing: true }) },
          { guard: isButton(`${B.edit}email`), target: 'email', actions: assign({ editing: true }) },
          { guard: isButton(`${B.edit}name`), target: 'fullName', actions: assign({ editing: true }) },
          { guard: isButton(`${B.edit}password`), target: 'password', actions: assign({ editing: true }) },
        ],
        text: { actions: [say('onb-use-buttons'), 'show review'] },
      },
    },
    captcha: captchaStep({ then: 'submitting', paused: 'review', cancelled: 'review' }),
    submitting: {
      invoke: {
        src: 'register',
        input: ({ context }) => ({ username: context.username, email: context.email, fullName: context.fullName, passwordHash: context.passwordHash, lang: context.lang }),
        onDone: [
          {
            guard: ({ event }) => event.output === 'username-taken',
            target: 'username.waiting',
            actions: [say('signup-username-taken'), assign({ editing: true })],
          },
          {
            target: 'done',
            actions: [
              // The link sentence only when the e-mail has a link (no bot username configured: code only).
              reply<SignupContext, { output: RegisterResult }>(({ context, event }) => ({ kind: 'text', msg: { key: 'signup-sent', vars: { email: context.email, link: event.output === 'sent-with-link' ? 'yes' : 'no' } } })),
              assign({ outcome: 'sent' as const }),
            ],
          },
        ],
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }): FlowOutput =>
    context.outcome === 'sent' ? { next: 'activate', nextArg: `user:${context.username}` } : {},
});
