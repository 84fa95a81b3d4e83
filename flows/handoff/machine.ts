/**
 * Talk to support (guests too): the cardholder says in one line what they need, a ticket opens
 * (`SUP-…`, posted as a thread in the support channel with their context), and from then on every
 * text goes to that thread until they press [End conversation] or send /end — or support closes the
 * ticket with [Close] (a notice whose `support-closed` signal ends the flow). A text that looks like
 * a password, PIN, code or card number is never passed on. An open ticket is found again by
 * /support (after /cancel or a restart); `/end` outside the flow closes it.
 */
import { assign, setup } from 'xstate';
import { secretIn, type SecretKind } from '../../src/domain/secrets/detect.js';
import { port } from '../shared/port.js';
import type { Button, FlowInput, FlowOutput, SignalEvent, UserEvent } from '../shared/protocol.js';
import { button, deleteInput, reply, say } from '../shared/say.js';

/** The longest summary a ticket takes (one line; details follow in the conversation). */
export const SUMMARY_MAX = 200;
/** The signal of the notice that tells the chat support closed its ticket. */
export const SUPPORT_CLOSED = 'support-closed';

/** Output of 'support status': the chat's open ticket, and how many it may still open today. */
export interface SupportStatus {
  open: { ticketId: string; ticket: string } | null;
  left: number;
  max: number;
  /** Is there a support desk to read new tickets (Slack configured)? */
  available: boolean;
}
/** Output of 'open ticket'. */
export type OpenResult = { ok: true; ticketId: string; ticket: string } | { ok: false; reason: 'open'; ticketId: string; ticket: string } | { ok: false; reason: 'limit'; max: number };
/** Output of 'relay message'. */
export type RelayResult = { status: 'sent' } | { status: 'closed' } | { status: 'refused'; what: SecretKind } | { status: 'slow' };

interface HandoffContext {
  chatKey: string;
  memberId: string | null;
  username: string | null;
  lang: string;
  from: string;
  arg: string | null;
  ticketId: string | null;
  ticket: string;
}

type HandoffEvent = UserEvent | SignalEvent;

const END = 'end';
const CANCEL = 'cancel';
const endRow: Button[][] = [[button('support-btn-end', END)]];
const cancelRow: Button[][] = [[button('btn-cancel', CANCEL)]];

const textOf = (e: HandoffEvent): string => (e.type === 'text' ? e.text : '');
const isEnd = ({ event }: { event: HandoffEvent }) => (event.type === 'command' && event.name === END) || (event.type === 'button' && event.value === END);
/** Says a message in the open conversation, with [End conversation] so the way out stays on screen. */
const sayOpen = (key: string, vars?: Record<string, string | number>) => say(key, vars, endRow);
const refuseSecret = (what: (e: HandoffEvent) => string) => reply<HandoffContext, HandoffEvent>(({ event }) => ({ kind: 'text', msg: { key: 'support-secret-refused', vars: { what: what(event) } }, buttons: endRow }));

/** The hand-off flow (pure; its side effects are provided by `src/services/support/flow-actors.ts`). */
export const handoffMachine = setup({
  types: {} as { context: HandoffContext; input: FlowInput; events: HandoffEvent; output: FlowOutput },
  actors: {
    'support status': port<{ chatKey: string; memberId: string | null }, SupportStatus>(),
    'open ticket': port<{ chatKey: string; memberId: string | null; username: string | null; lang: string; summary: string; from: string }, OpenResult>(),
    'relay message': port<{ ticketId: string; chatKey: string; text: string }, RelayResult>(),
    'close ticket': port<{ ticketId: string; chatKey: string }, { closed: boolean; ticket: string }>(),
  },
}).createMachine({
  id: 'support',
  context: ({ input }) => ({
    chatKey: input.chatKey,
    memberId: input.session?.memberId ?? null,
    username: input.session?.username ?? null,
    lang: input.lang,
    from: input.from ?? 'menu',
    arg: input.arg ?? null,
    ticketId: null,
    ticket: '',
  }),
  initial: 'start',
  states: {
    start: { always: [{ guard: ({ context }) => context.arg === END, target: 'ending' }, { target: 'checking' }] },
    checking: {
      invoke: {
        src: 'support status',
        input: ({ context }) => ({ chatKey: context.chatKey, memberId: context.memberId }),
        onDone: [
          {
            guard: ({ event }) => event.output.open !== null,
            target: 'open',
            actions: [assign(({ event }) => ({ ticketId: event.output.open!.ticketId, ticket: event.output.open!.ticket })), reply(({ event }: { event: { output: SupportStatus } }) => ({ kind: 'text', msg: { key: 'support-resumed', vars: { ticket: event.output.open!.ticket } }, buttons: endRow }))],
          },
          { guard: ({ event }) => !event.output.available, target: 'done', actions: say('support-unavailable') },
          { guard: ({ event }) => event.output.left <= 0, target: 'done', actions: reply(({ event }: { event: { output: SupportStatus } }) => ({ kind: 'text', msg: { key: 'support-limit', vars: { max: event.output.max } } })) },
          { target: 'summary' },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    summary: {
      tags: ['prompt:support'],
      entry: say('support-ask-summary', undefined, cancelRow),
      on: {
        text: [
          { guard: ({ event }) => textOf(event).trim() === '', actions: say('support-summary-empty', undefined, cancelRow) },
          { guard: ({ event }) => textOf(event).trim().length > SUMMARY_MAX || textOf(event).trim().includes('\n'), actions: say('support-summary-too-long', { max: SUMMARY_MAX }, cancelRow) },
          { guard: ({ event }) => secretIn(textOf(event)) !== null, actions: [deleteInput, reply<HandoffContext, HandoffEvent>(({ event }) => ({ kind: 'text', msg: { key: 'support-secret-refused', vars: { what: secretIn(textOf(event))! } }, buttons: cancelRow }))] },
          { target: 'opening' },
        ],
        button: { guard: ({ event }) => event.value === CANCEL, target: 'done', actions: say('cancelled') },
        command: { guard: ({ event }) => event.name === END, target: 'done', actions: say('cancelled') },
      },
    },
    opening: {
      invoke: {
        src: 'open ticket',
        input: ({ context, event }) => ({ chatKey: context.chatKey, memberId: context.memberId, username: context.username, lang: context.lang, summary: textOf(event as HandoffEvent).trim(), from: context.from }),
        onDone: [
          { guard: ({ event }) => event.output.ok, target: 'open', actions: [assign(({ event }) => ({ ticketId: (event.output as { ticketId: string }).ticketId, ticket: (event.output as { ticket: string }).ticket })), reply(({ context }: { context: HandoffContext }) => ({ kind: 'text', msg: { key: 'support-opened', vars: { ticket: context.ticket } }, buttons: endRow }))] },
          { guard: ({ event }) => !event.output.ok && event.output.reason === 'open', target: 'open', actions: [assign(({ event }) => ({ ticketId: (event.output as { ticketId: string }).ticketId, ticket: (event.output as { ticket: string }).ticket })), reply(({ context }: { context: HandoffContext }) => ({ kind: 'text', msg: { key: 'support-resumed', vars: { ticket: context.ticket } }, buttons: endRow }))] },
          { target: 'done', actions: reply(({ event }: { event: { output: OpenResult } }) => ({ kind: 'text', msg: { key: 'support-limit', vars: { max: (event.output as { max: number }).max } } })) },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    open: {
      tags: ['prompt:support'],
      on: {
        text: [
          { guard: ({ event }) => textOf(event).trim() === '', actions: sayOpen('support-text-only') },
          { guard: ({ event }) => secretIn(textOf(event)) !== null, actions: [deleteInput, refuseSecret((e) => secretIn(textOf(e))!)] },
          { target: 'relaying' },
        ],
        button: { guard: isEnd, target: 'closing' },
        command: { guard: isEnd, target: 'closing' },
        signal: { guard: ({ event }) => event.name === SUPPORT_CLOSED, target: 'done' },
      },
    },
    relaying: {
      invoke: {
        src: 'relay message',
        input: ({ context, event }) => ({ ticketId: context.ticketId!, chatKey: context.chatKey, text: textOf(event as HandoffEvent) }),
        onDone: [
          { guard: ({ event }) => event.output.status === 'sent', target: 'open', actions: reply(({ context }: { context: HandoffContext }) => ({ kind: 'text', msg: { key: 'support-sent', vars: { ticket: context.ticket } }, buttons: endRow })) },
          { guard: ({ event }) => event.output.status === 'closed', target: 'done', actions: reply(({ context }: { context: HandoffContext }) => ({ kind: 'text', msg: { key: 'support-already-closed', vars: { ticket: context.ticket } } })) },
          { guard: ({ event }) => event.output.status === 'refused', target: 'open', actions: refuseSecret(() => 'password') },
          { target: 'open', actions: sayOpen('support-slow') },
        ],
        onError: { target: 'open', actions: sayOpen('support-send-failed') },
      },
    },
    closing: {
      invoke: {
        src: 'close ticket',
        input: ({ context }) => ({ ticketId: context.ticketId!, chatKey: context.chatKey }),
        onDone: [
          { guard: ({ event }) => event.output.closed, target: 'done', actions: reply(({ event }: { event: { output: { ticket: string } } }) => ({ kind: 'text', msg: { key: 'support-ended', vars: { ticket: event.output.ticket } } })) },
          { target: 'done', actions: reply(({ event }: { event: { output: { ticket: string } } }) => ({ kind: 'text', msg: { key: 'support-already-closed', vars: { ticket: event.output.ticket } } })) },
        ],
        onError: { target: 'open', actions: sayOpen('support-send-failed') },
      },
    },
    ending: {
      invoke: {
        src: 'support status',
        input: ({ context }) => ({ chatKey: context.chatKey, memberId: context.memberId }),
        onDone: [
          { guard: ({ event }) => event.output.open !== null, target: 'closing', actions: assign(({ event }) => ({ ticketId: event.output.open!.ticketId, ticket: event.output.open!.ticket })) },
          { target: 'done', actions: say('support-none-open') },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
