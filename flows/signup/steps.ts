/**
 * Building blocks shared by the onboarding flows (sign-up, activation, log-in, passwords). Pure.
 */
import type { UserEvent } from '../shared/protocol.js';
import { reply, say, type AnyAction } from '../shared/say.js';

/** Button values of the onboarding flows. */
export const B = {
  submit: 'submit',
  cancel: 'cancel',
  edit: 'edit:',
  resend: 'resend',
  ok: 'ok',
  retry: 'retry',
  activate: 'activate',
  repeatPassword: 'repeat-password',
} as const;

/** The text of a text event ('' for anything else). */
export function textOf(event: unknown): string {
  return (event as UserEvent).type === 'text' ? (event as { text: string }).text : '';
}

/** The value of a button event ('' for anything else). */
export function buttonOf(event: unknown): string {
  return (event as UserEvent).type === 'button' ? (event as { value: string }).value : '';
}

/** The output of a done event of an invoked actor. */
export function outputOf<T>(event: unknown): T {
  return (event as { output: T }).output;
}

/**
 * A question state: says `promptKey` when entered at `.prompt`, and can be re-entered silently at
 * `.waiting` after an error message, so the question is not repeated under every error. The
 * handlers (`on`) sit on the parent, so both sub-states answer the same.
 */
export function question(promptKey: string | AnyAction, on: Record<string, unknown>, extra: Record<string, unknown> = {}): AnyAction {
  return {
    initial: 'prompt',
    states: {
      prompt: { entry: typeof promptKey === 'string' ? say(promptKey) : promptKey },
      waiting: {},
    },
    on,
    ...extra,
  };
}

/** A reply for a button pressed where text was expected, or text where a button was. */
export const useText: AnyAction = say('onb-type-answer');

/** Why a new password was refused, with zxcvbn's advice when it found the password easy to guess. */
export interface PasswordRefusal {
  problem: string;
  advice?: { warning: string; suggestion: string };
}

/** Explains a refused new password (the output of 'check new password'): the rule, or the advice and an example. */
export const passwordRefused: AnyAction = reply(({ event }) => {
  const r = outputOf<PasswordRefusal>(event);
  return { kind: 'text', msg: { key: `onb-password-${r.problem}`, ...(r.advice ? { vars: { ...r.advice } } : {}) } };
});
