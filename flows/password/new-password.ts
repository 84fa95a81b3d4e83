/**
 * The "new password, then the same again" steps shared by forgot-password and change-password.
 * The first answer is checked and hashed in the turn it arrives (the hash is all the snapshot keeps);
 * the second is compared against that hash. Needs the ports 'check new password' and 'password
 * matches', context fields `memberId` (or `username`) and `passwordHash`, and a `saving` state to continue to.
 */
import { assign } from 'xstate';
import type { UserEvent } from '../shared/protocol.js';
import { button, say, type AnyAction } from '../shared/say.js';
import { B, buttonOf, passwordRefused, question, textOf, useText } from '../signup/steps.js';

interface NewPasswordContext {
  memberId: string | null;
  /** The username when the flow knows it (forgot password), else the service finds it by member. */
  username?: string;
  passwordHash: string;
}

type Args = { context: NewPasswordContext; event: unknown };

/** The four states (`password`, `checkingPassword`, `again`, `comparing`), asking with `askKey`. */
export function newPasswordStates(askKey: string): Record<string, AnyAction> {
  return {
    password: question(askKey, { text: 'checkingPassword', button: { actions: useText } }, { tags: ['secret'] }),
    checkingPassword: {
      invoke: {
        src: 'check new password',
        input: ({ context, event }: Args) => ({ password: textOf(event), username: context.username || null, memberId: context.memberId }),
        onDone: [
          {
            guard: ({ event }: { event: { output: { ok: boolean } } }) => !event.output.ok,
            target: 'password.waiting',
            actions: passwordRefused,
          },
          { target: 'again', actions: assign({ passwordHash: ({ event }: { event: { output: { hash: string } } }) => event.output.hash }) as AnyAction },
        ],
      },
    },
    again: question(
      'onb-ask-password-again',
      {
        text: 'comparing',
        button: [{ guard: ({ event }: { event: UserEvent }) => buttonOf(event) === B.repeatPassword, target: 'password' }, { actions: useText }],
      },
      { tags: ['secret'] },
    ),
    comparing: {
      invoke: {
        src: 'password matches',
        input: ({ context, event }: Args) => ({ hash: context.passwordHash, password: textOf(event) }),
        onDone: [
          { guard: ({ event }: { event: { output: boolean } }) => !event.output, target: 'again.waiting', actions: say('onb-password-mismatch', undefined, [[button('onb-choose-password-again', B.repeatPassword)]]) },
          { target: 'saving' },
        ],
      },
    },
  };
}
