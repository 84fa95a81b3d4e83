import { assign, emit, raise, sendTo, type AnyActorRef } from 'xstate';
import { LANGS, quickAction, type FlowInput, type InboundEvent, type Lang, type NoticeEvent, type SignalEvent } from './shared/protocol.js';
import { replyEvent } from './shared/say.js';
import type { FlowEntry, RootContext } from './root-types.js';

/**
 * The root's state for one flow: it invokes the flow (id `flow`) with the chat's context, passes it
 * the person's texts and presses, its own commands, and the signals of notices; when it is done
 * the root goes on (`#root.finish`), when it fails the root says so and shows the menu.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function flowState(f: FlowEntry): any {
  return {
    // A deep link's argument (an activation token) goes to the flow's input only: the root's
    // snapshot must not keep it. The raised event is handled after the flow was created with it.
    entry: raise({ type: 'arg taken' }),
    invoke: {
      id: 'flow',
      src: f.id,
      input: ({ context }: { context: RootContext }): FlowInput => ({
        chatKey: context.chatKey,
        lang: context.lang,
        session: context.session,
        now: context.now,
        ...(context.arg ? { arg: context.arg } : {}),
        ...(context.from ? { from: context.from } : {}),
      }),
      onDone: { target: '#root.finish', actions: 'apply output' },
      onError: { target: '#root.menu', actions: 'say failure' },
    },
    on: {
      'arg taken': { actions: assign({ arg: null }) },
      // Media where text is expected: "please type …" for the prompt on screen; the flow never sees it.
      media: { actions: emit(({ event, self }) => replyEvent({ kind: 'text', msg: { key: mediaHintKey(self), vars: { media: (event as unknown as { media: string }).media } } })) },
      text: { actions: sendTo('flow', ({ event }: { event: InboundEvent }) => event) },
      // A notice's quick action is the root's (it starts its flow), as is the /language picker's
      // choice (the flow stays at its step; the picker becomes the word); every other press is the flow's.
      button: [
        {
          guard: ({ event }: { event: { value: string } }) => isLangChoice(event.value),
          actions: [
            assign({ lang: ({ event }: { event: { value: string } }) => event.value.slice(5) as Lang }),
            emit(replyEvent({ kind: 'text', msg: { key: 'language-set' }, replace: true })),
          ],
        },
        { guard: ({ event }: { event: { value: string } }) => quickAction(event.value) === null, actions: sendTo('flow', ({ event }: { event: InboundEvent }) => event) },
      ],
      // The flow's own commands go to it; any other command falls through to the root's handlers.
      ...(f.commands?.length ? { command: { guard: ({ event }: { event: { name: string } }) => f.commands!.includes(event.name), actions: sendTo('flow', ({ event }: { event: InboundEvent }) => event) } } : {}),
      // A notice's signal reaches the running flow after its text (one that ends the session goes to the root).
      notice: {
        guard: ({ event }: { event: NoticeEvent }) => event.signal !== undefined && event.endSession !== true,
        actions: [
          emit(({ event }: { event: NoticeEvent }) => replyEvent({ kind: 'text', msg: event.msg, ...(event.buttons?.length ? { buttons: event.buttons } : {}) })),
          sendTo('flow', ({ event }: { event: NoticeEvent }): SignalEvent => ({ type: 'signal', name: event.signal! })),
        ],
      },
    },
  };
}

/** A press on the /language picker (`lang:en`, `lang:ja`). */
function isLangChoice(value: string): boolean {
  return value.startsWith('lang:') && (LANGS as readonly string[]).includes(value.slice(5));
}

/**
 * Prompt tags (on a flow's waiting states) that choose the "please type …" answer to media:
 * `secret` (password, PIN, code), `prompt:amount`, `prompt:period`, `prompt:support`.
 */
const MEDIA_HINTS: [tag: string, key: string][] = [['secret', 'media-type-secret'], ['prompt:amount', 'media-type-amount'], ['prompt:period', 'media-type-period'], ['prompt:support', 'media-type-support']];

/** The catalogue key of the answer to media in the running flow's current state. */
export function mediaHintKey(self: AnyActorRef): string {
  const flow = (self.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> }).children?.flow;
  return MEDIA_HINTS.find(([tag]) => flow && tagged(flow, tag))?.[1] ?? 'media-type-answer';
}

/** Is a state of this machine actor, or of a machine it runs (a CAPTCHA, a card choice), tagged `tag`? */
function tagged(actor: AnyActorRef, tag: string): boolean {
  const snap = actor.getSnapshot() as { hasTag?: (t: string) => boolean; children?: Record<string, AnyActorRef | undefined> };
  return Boolean(snap.hasTag?.(tag)) || Object.values(snap.children ?? {}).some((c) => c !== undefined && tagged(c, tag));
}

/** Where the chat is now, for a flow it asks for: the menu, or the flow and its step. */
export function whereNow(c: RootContext, self: AnyActorRef): string {
  if (!c.current) return 'menu';
  const child = (self.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> }).children?.flow;
  const value = child?.getSnapshot()?.value as unknown;
  return value === undefined ? c.current : `${c.current} › ${stepName(value)}`;
}

/** A state value as a person reads it: `amount`, or `choosing › card` for nested states. */
function stepName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} › ${stepName(v)}`).join(', ');
  return String(value);
}
