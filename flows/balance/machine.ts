/**
 * Balance inquiry (members only): every balance of every enrolled card, per currency, with pending
 * charges beside. One message, then back to the dashboard.
 */
import { setup } from 'xstate';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { reply, say } from '../shared/say.js';

/** The balance inquiry flow (pure; 'balances' renders the lines in the chat's language). */
export const balanceMachine = setup({
  types: {} as { context: { memberId: string; lang: Lang }; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: { balances: port<{ memberId: string; lang: Lang }, string | null>() },
}).createMachine({
  id: 'balance',
  context: ({ input }) => ({ memberId: input.session!.memberId, lang: input.lang }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'balances',
        input: ({ context }) => ({ memberId: context.memberId, lang: context.lang }),
        onDone: [
          { guard: ({ event }) => event.output === null, target: 'done', actions: say('balance-none') },
          { target: 'done', actions: reply(({ event }: { event: { output: string } }) => ({ kind: 'text', msg: { key: 'balance-list', vars: { linesHtml: event.output } } })) },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
