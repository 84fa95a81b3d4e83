import { assign, fromPromise, setup } from 'xstate';
import { port } from '../../../flows/shared/port.js';
import type { FlowInput, UserEvent } from '../../../flows/shared/protocol.js';
import { button, reply } from '../../../flows/shared/say.js';
import type { FlowEntry } from '../../../flows/root.js';

// Replies use message keys that are not in the catalogue: the catalogue shows a missing key as
// itself, so `echo 7` reaches the chat as the text "echo 7" and tests can read it.

/** Echoes each text after a short random delay (turns overlap, so order is really tested). */
const echoFlow = setup({
  types: {} as { context: { n: number }; input: FlowInput; events: UserEvent },
  actors: { pause: port<{ ms: number; text: string }, string>() },
}).createMachine({
  id: 'echo',
  context: { n: 0 },
  initial: 'listening',
  entry: reply(() => ({ kind: 'text', msg: { key: 'echo ready' } })),
  states: {
    listening: { on: { text: { target: 'pausing' } } },
    pausing: {
      invoke: {
        src: 'pause',
        input: ({ event }) => ({ ms: Math.floor(Math.random() * 25), text: (event as { text: string }).text }),
        onDone: {
          target: 'listening',
          actions: [
            assign({ n: ({ context }) => context.n + 1 }),
            reply(({ context, event }: { context: { n: number }; event: unknown }) => ({
              kind: 'text',
              msg: { key: `echo ${context.n}: ${(event as { output: string }).output}` },
            })),
          ],
        },
      },
    },
  },
});

/** Shows a picture with [Reload] (replaces the picture) and [CSV] (sends a document); a deep link names its token. */
const pictureFlow = setup({
  types: {} as { context: { shown: number; arg: string }; input: FlowInput; events: UserEvent },
}).createMachine({
  id: 'picture',
  context: ({ input }) => ({ shown: 1, arg: input.arg ?? '' }),
  initial: 'showing',
  entry: [
    reply(({ context }: { context: { arg: string } }) => ({ kind: 'text', msg: { key: `picture for ${context.arg || 'nobody'}` } })),
    reply(() => ({ kind: 'image', png: png(1).toString('base64'), caption: { key: 'picture 1' }, buttons: [[button('reload', 'reload'), button('csv', 'csv')]] })),
  ],
  states: {
    showing: {
      on: {
        button: [
          {
            guard: ({ event }) => event.value === 'reload',
            actions: [
              assign({ shown: ({ context }) => context.shown + 1 }),
              reply(({ context }: { context: { shown: number } }) => ({
                kind: 'image',
                png: png(context.shown).toString('base64'),
                caption: { key: `picture ${context.shown}` },
                buttons: [[button('reload', 'reload'), button('csv', 'csv')]],
                replace: true,
              })),
            ],
          },
          {
            guard: ({ event }) => event.value === 'csv',
            target: 'done',
            actions: reply(() => ({ kind: 'file', name: 'history.csv', mime: 'text/csv', content: Buffer.from('date,amount\n2026-11-28,1000\n').toString('base64'), caption: { key: 'your csv' } })),
          },
        ],
        text: { actions: reply(({ event }: { event: { text: string } }) => ({ kind: 'text', msg: { key: `you typed ${event.text}` } })) },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});

/** A recognisable fake PNG: the signature and a counter byte. */
export function png(n: number): Buffer {
  return Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, n]);
}

/** The test flows, with their side effects provided. */
export function telegramTestFlows(): FlowEntry[] {
  return [
    {
      id: 'echo',
      requiresLogin: false,
      machine: echoFlow.provide({
        actors: {
          pause: fromPromise(async ({ input }: { input: { ms: number; text: string } }) => {
            await new Promise((r) => setTimeout(r, input.ms));
            return input.text;
          }),
        },
      }),
    },
    { id: 'picture', requiresLogin: false, deepLinkPrefix: 'pic_', machine: pictureFlow },
  ];
}
