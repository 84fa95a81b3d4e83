/**
 * Settings (members only): card usage notifications on or off (each purchase, ATM withdrawal or
 * refund, approved or declined, is announced in the chat unless switched off), and the member's
 * time zone (history days and the times shown; the operator's by default).
 */
import { assign, setup } from 'xstate';
import { port } from '../shared/port.js';
import type { Button, FlowInput, FlowOutput, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';

interface SettingsContext {
  memberId: string;
  notifyUsage: boolean;
  /** The member's zone as shown ("Europe/London (GMT)"), and the operator's (daily limits). */
  zone: string;
  operatorZone: string;
  /** Zones offered as buttons. */
  zones: string[];
}

/** What 'get settings' reads. */
export interface SettingsView {
  notifyUsage: boolean;
  zone: string;
  operatorZone: string;
  zones: string[];
}

const TOGGLE = 'toggle';
const DONE = 'done';
const ZONE = 'zone';
const BACK = 'back';
const PICK = 'tz:';

const zoneButtons = (zones: string[]): Button[][] => {
  const rows: Button[][] = [];
  for (let i = 0; i < zones.length; i += 2) rows.push(zones.slice(i, i + 2).map((z) => button('settings-zone-button', `${PICK}${z}`, { zone: z })));
  return [...rows, [button('settings-btn-back', BACK)]];
};

/** The settings flow (pure; reading and writing the member's settings are provided). */
export const settingsMachine = setup({
  types: {} as { context: SettingsContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'get settings': port<{ memberId: string }, SettingsView>(),
    'set usage notifications': port<{ memberId: string; on: boolean }, { notifyUsage: boolean }>(),
    'set time zone': port<{ memberId: string; zone: string }, { ok: true; zone: string } | { ok: false }>(),
  },
}).createMachine({
  id: 'settings',
  context: ({ input }) => ({ memberId: input.session!.memberId, notifyUsage: true, zone: '', operatorZone: '', zones: [] }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'get settings',
        input: ({ context }) => ({ memberId: context.memberId }),
        onDone: { target: 'showing', actions: assign(({ event }) => ({ notifyUsage: event.output.notifyUsage, zone: event.output.zone, operatorZone: event.output.operatorZone, zones: event.output.zones })) },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    showing: {
      entry: reply<SettingsContext, UserEvent>(({ context }) => ({
        kind: 'text',
        msg: { key: context.notifyUsage ? 'settings-show-on' : 'settings-show-off', vars: { zone: context.zone, operatorZone: context.operatorZone } },
        buttons: [[button(context.notifyUsage ? 'settings-btn-turn-off' : 'settings-btn-turn-on', TOGGLE), button('settings-btn-zone', ZONE)], [button('settings-btn-done', DONE)]],
        nav: true,
      })),
      on: {
        button: [
          { guard: ({ event }) => event.value === DONE, target: 'done' },
          { guard: ({ event }) => event.value === TOGGLE, target: 'saving' },
          { guard: ({ event }) => event.value === ZONE, target: 'choosingZone' },
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
    choosingZone: {
      entry: reply<SettingsContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'settings-zone-ask', vars: { zone: context.zone } }, buttons: zoneButtons(context.zones) })),
      on: {
        button: [
          { guard: ({ event }) => event.value === BACK, target: 'showing' },
          { guard: ({ event }) => event.value.startsWith(PICK), target: 'savingZone' },
        ],
        text: { target: 'savingZone' },
      },
    },
    savingZone: {
      invoke: {
        src: 'set time zone',
        input: ({ context, event }) => ({ memberId: context.memberId, zone: (event as UserEvent).type === 'button' ? (event as { value: string }).value.slice(PICK.length) : (event as { text: string }).text }),
        onDone: [
          { guard: ({ event }) => event.output.ok, target: 'showing', actions: [assign({ zone: ({ event, context }) => (event.output.ok ? event.output.zone : context.zone) }), say('settings-saved')] },
          { target: 'choosingZone', actions: say('settings-zone-unknown') },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
