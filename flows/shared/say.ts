import { emit } from 'xstate';
import type { Button, Msg, MessageVars, Reply, ReplyEvent } from './protocol.js';

/** Builds a catalogue reference. */
export function msg(key: string, vars?: MessageVars): Msg {
  return vars ? { key, vars } : { key };
}

/** Builds a button whose label is a catalogue message. */
export function button(key: string, value: string, vars?: MessageVars): Button {
  return { label: msg(key, vars), value };
}

/** Wraps a reply as the event machines emit. */
export function replyEvent(reply: Reply): ReplyEvent {
  return { type: 'reply', reply };
}

/**
 * An action usable in any machine. XState types `emit` for the machine it is declared in; these
 * helpers are shared by every flow, so they are typed loosely on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = any;

/** An action that says a catalogue message, optionally with buttons (one row per inner array). */
export function say(key: string, vars?: MessageVars, buttons?: Button[][]): AnyAction {
  return emit(replyEvent({ kind: 'text', msg: msg(key, vars), ...(buttons ? { buttons } : {}) }));
}

/** An action that emits a reply computed from the machine's context and event. */
export function reply<C, E>(make: (args: { context: C; event: E }) => Reply): AnyAction {
  return emit(((args: { context: C; event: E }) => replyEvent(make(args))) as never);
}

/** An action that asks the channel to remove the message being answered (it held a secret). */
export const deleteInput: AnyAction = emit(replyEvent({ kind: 'delete-input' }));

/** Is this text a command the root handles from anywhere (so flows should not treat it as input)? */
export function isGlobalCommand(name: string): boolean {
  return ['cancel', 'menu', 'start', 'help', 'logout', 'language'].includes(name);
}
