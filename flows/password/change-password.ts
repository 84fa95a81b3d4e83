/**
 * Change password (logged in): current password → new password → new password again. Every other
 * session of the member ends; an e-mail tells the member. Three wrong current passwords in a row
 * lock changing the password for a while (counted by the service, so starting again or a restart
 * gives no new tries).
 */
import { assign, setup } from 'xstate';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { reply, say } from '../shared/say.js';
import type { NewPasswordResult } from '../signup/machine.js';
import { outputOf, question, useText, textOf } from '../signup/steps.js';
import { newPasswordStates } from './new-password.js';

/** Wrong current passwords in a row before changing the password is locked for a while. */
export const CURRENT_PASSWORD_TRIES = 3;

/** What the 'check current' port found. */
export type CurrentPasswordResult = { outcome: 'ok' } | { outcome: 'wrong'; left: number } | { outcome: 'locked'; minutes: number };

interface ChangeContext {
  chatKey: string;
  lang: Lang;
  memberId: string;
  passwordHash: string;
}

/** The change-password flow. Ports: 'check current', 'check new password', 'password matches', 'change password'. */
export const changePasswordMachine = setup({
  types: {} as { context: ChangeContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'check current': port<{ memberId: string; password: string }, CurrentPasswordResult>(),
    'check new password': port<{ password: string; username: string | null; memberId: string | null }, NewPasswordResult>(),
    'password matches': port<{ hash: string; password: string }, boolean>(),
    'change password': port<{ memberId: string; hash: string; chatKey: string }, void>(),
  },
}).createMachine({
  id: 'change-password',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, memberId: input.session?.memberId ?? '', passwordHash: '' }),
  initial: 'current',
  states: {
    current: question('change-ask-current', { text: 'checkingCurrent', button: { actions: useText } }, { tags: ['secret'] }),
    checkingCurrent: {
      invoke: {
        src: 'check current',
        input: ({ context, event }) => ({ memberId: context.memberId, password: textOf(event) }),
        onDone: [
          { guard: ({ event }) => event.output.outcome === 'ok', target: 'password' },
          {
            guard: ({ event }) => event.output.outcome === 'wrong',
            target: 'current.waiting',
            actions: reply(({ event }) => ({ kind: 'text', msg: { key: 'change-current-wrong', vars: { left: outputOf<{ left: number }>(event).left } } })),
          },
          { target: 'done', actions: reply(({ event }) => ({ kind: 'text', msg: { key: 'change-current-locked', vars: { minutes: outputOf<{ minutes: number }>(event).minutes } } })) },
        ],
      },
    },
    ...newPasswordStates('change-ask-new'),
    saving: {
      invoke: {
        src: 'change password',
        input: ({ context }) => ({ memberId: context.memberId, hash: context.passwordHash, chatKey: context.chatKey }),
        onDone: { target: 'done', actions: [say('change-done'), assign({ passwordHash: '' })] },
      },
    },
    done: { type: 'final' },
  },
  output: (): FlowOutput => ({}),
});
