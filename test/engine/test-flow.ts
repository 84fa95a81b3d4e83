import { assign, fromPromise, setup } from 'xstate';
import { port } from '../../flows/shared/port.js';
import type { FlowInput, UserEvent } from '../../flows/shared/protocol.js';
import { button, deleteInput, reply, say } from '../../flows/shared/say.js';
import type { FlowEntry } from '../../flows/root.js';

/**
 * A small flow for engine tests: counts texts, asks for a "secret" (tagged), hashes it with a slow
 * actor, and finishes on [Done].
 */
export const counterFlow = setup({
  types: {} as { context: { n: number; chatKey: string; digest: string | null }; input: FlowInput; events: UserEvent },
  actors: { digest: port<{ text: string }, string>() },
}).createMachine({
  id: 'counter',
  context: ({ input }) => ({ n: 0, chatKey: input.chatKey, digest: null }),
  initial: 'counting',
  entry: say('test-count', { n: 0 }),
  states: {
    counting: {
      on: {
        text: [
          { guard: ({ event }) => event.text === 'secret', target: 'asking' },
          // The reply names the count (as an unknown catalogue id, shown as it is), so tests can check order.
          { actions: [assign({ n: ({ context }) => context.n + 1 }), reply(({ context }: { context: { n: number } }) => ({ kind: 'text', msg: { key: `test-count-${context.n}` } }))] },
        ],
        button: { guard: ({ event }) => event.value === 'done', target: 'done' },
      },
    },
    asking: {
      tags: ['secret'],
      entry: say('test-ask-secret'),
      on: { text: { target: 'hashing' } },
    },
    hashing: {
      entry: deleteInput,
      invoke: {
        src: 'digest',
        input: ({ event }) => ({ text: (event as { text: string }).text }),
        onDone: { target: 'counting', actions: [assign({ digest: ({ event }) => event.output }), say('test-hashed', undefined, [[button('btn-ok', 'done')]])] },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});

/** The registry entry, with the slow actor provided. */
export function counterEntry(delayMs = 5): FlowEntry {
  return {
    id: 'counter',
    requiresLogin: false,
    menu: { label: 'btn-ok', audience: 'all', order: 1 },
    machine: counterFlow.provide({
      actors: {
        digest: fromPromise(async ({ input }: { input: { text: string } }) => {
          await new Promise((r) => setTimeout(r, delayMs));
          return `len:${input.text.length}`;
        }),
      },
    }),
  };
}
