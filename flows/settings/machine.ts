/**
 * Settings (members only): card usage notifications on or off (each purchase, ATM withdrawal or
 * refund, approved or declined, is announced in the chat unless switched off).
 */
import { assign, setup } from 'xstate';
import { port } from '../shared/port.js';
import type { FlowInput, FlowOutput, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';

interface SettingsContext {
  memberId: string;
  notifyUsage: boolean;
}

const TOGGLE = 'toggle';
const DONE = 'done';

/** The settings flow (pure; reading and writing `Member.notifyUsage` are provided). */
export const settingsMachine = setup({
  types: {} as { context: SettingsContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'get settings': port<{ memberId: string }, { notifyUsage: boolean }>(),
    'set usage notifications': port<{ memberId: string; on: boolean }, { notifyUsage: boolean }>(),
  },
}).createMachine({
  id: 'settings',
  context: ({ input }) => ({ memberId: input.session!.memberId, notifyUsage: true }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'get settings',
        input: ({ context }) => ({ memberId: context.memberId }),
        onDone: { target: 'showing', actions: assign({ notifyUsage: ({ event }) => event.output.notifyUsage }) },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    showing: {
      entry: reply<SettingsContext, UserEvent>(({ context }) => ({
        kind: 'text',
        msg: { key: context.notifyUsage ? 'settings-usage-on' : 'settings-usage-off' },
        buttons: [[button(context.notifyUsage ? 'settings-btn-turn-off' : 'settings-btn-turn-on', TOGGLE), button('settings-btn-done', DONE)]],
        nav: true,
      })),
      on: {
        button: [
          { guard: ({ event }) => event.value === DONE, target: 'done' },
          { guard: ({ event }) => event.value === TOGGLE, target: 'saving' },
        ],
        text: { target: 'showing', reenter: true, actions: say('settings-use-buttons') },
      },
    },
    saving: {
      invoke: {
        src: 'set usage notifications',
        input: ({ context }) => ({ memberId: context.memberId, on: !context.notifyUsage }),
        onDone: { target: 'showing', actions: [assign({ notifyUsage: ({ event }) => event.output.notifyUsage }), say('settings-saved')] },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
