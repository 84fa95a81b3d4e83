import { fromPromise, setup } from 'xstate';
import type { FlowEntry } from '../../flows/root.js';
import { port } from '../../flows/shared/port.js';
import type { FlowInput, UserEvent } from '../../flows/shared/protocol.js';
import { button, deleteInput, reply, say } from '../../flows/shared/say.js';
import type { App } from '../../src/app/app.js';
import { enqueueMail } from '../../src/services/mail/outbox.js';

// A 1x1 transparent PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * A flow for the runner's own tests, one command per feature: `mail <addr>` sends an e-mail with a
 * code, `secret` asks for a secret (the answer is deleted), `picture` shows an image, `csv` sends a
 * file, `elapsed` tells the minutes since the flow started (clock advance), [Done] finishes.
 * Catalogue keys that do not exist render as the key itself, so replies are their keys.
 */
const probe = setup({
  types: {} as { context: { startedAt: number }; input: FlowInput; events: UserEvent },
  actors: { mail: port<{ to: string }, void>() },
}).createMachine({
  id: 'probe',
  context: ({ input }) => ({ startedAt: input.now }),
  initial: 'idle',
  entry: say('probe-ready', undefined, [[button('btn-ok', 'done')]]),
  states: {
    idle: {
      on: {
        text: [
          { guard: ({ event }) => event.text.startsWith('mail '), target: 'mailing' },
          { guard: ({ event }) => event.text === 'secret', target: 'asking' },
          { guard: ({ event }) => event.text === 'picture', actions: reply(() => ({ kind: 'image', png: PNG, caption: { key: 'probe-picture' }, buttons: [[button('btn-ok', 'done')]] })) },
          { guard: ({ event }) => event.text === 'csv', actions: reply(() => ({ kind: 'file', name: 'statement.csv', mime: 'text/csv', content: Buffer.from('date,amount\n2026-11-28,1000\n').toString('base64'), caption: { key: 'probe-file' } })) },
          {
            guard: ({ event }) => event.text === 'elapsed',
            actions: reply(({ context, event }: { context: { startedAt: number }; event: { at: number } }) => ({ kind: 'text', msg: { key: `probe-elapsed-${Math.floor((event.at - context.startedAt) / 60_000)}` } })),
          },
          { actions: say('probe-what') },
        ],
        button: { guard: ({ event }) => event.value === 'done', target: 'done' },
      },
    },
    mailing: {
      invoke: {
        src: 'mail',
        input: ({ event }) => ({ to: (event as { text: string }).text.slice(5).trim() }),
        onDone: { target: 'idle', actions: say('probe-mailed') },
      },
    },
    asking: { tags: ['secret'], entry: say('probe-ask-secret'), on: { text: { target: 'idle', actions: [deleteInput, say('probe-secret-kept')] } } },
    done: { type: 'final' },
  },
  output: () => ({}),
});

/** The probe flow, with its mail side effect writing to the given app's outbox. */
export function probeEntry(appRef: { current?: App }): FlowEntry {
  return {
    id: 'probe',
    requiresLogin: false,
    machine: probe.provide({
      actors: {
        mail: fromPromise(async ({ input }: { input: { to: string } }) => {
          await appRef.current!.db.tx((tx) => enqueueMail(tx, { to: input.to, subject: 'Your probe code', text: 'Hello,\nyour code: 12345678\nBye', template: 'probe' }));
        }),
      },
    }),
  };
}
