/**
 * The registry of cardholder flows and the root machine built from it. Each flow lives in its own
 * folder as a pure XState machine; its side effects are named actors that `src/` provides.
 */
import { createRootMachine, type FlowEntry } from './root.js';
import { cardsMachine } from './cards/machine.js';
import { enrollmentMachine } from './enrollment/machine.js';
import { pinChangeMachine } from './pin-change/machine.js';
import { signupMachine } from './signup/machine.js';
import { ACTIVATION_DEEP_LINK_PREFIX, activationMachine } from './activation/machine.js';
import { loginMachine } from './login/machine.js';
import { forgotPasswordMachine } from './password/forgot-password.js';
import { forgotUsernameMachine } from './password/forgot-username.js';
import { changePasswordMachine } from './password/change-password.js';
import { chargeMachine } from './charge/machine.js';
import { balanceMachine } from './balance/machine.js';
import { historyMachine } from './history/machine.js';
import { settingsMachine } from './settings/machine.js';
import { handoffMachine } from './handoff/machine.js';

export type { FlowEntry, RootInput, RootContext, ClockEvent, SessionEvent } from './root.js';
export { createRootMachine } from './root.js';

/** Every flow, as pure machines (actors not yet provided). Order does not matter. */
export const flowRegistry: FlowEntry[] = [
  { id: 'signup', machine: signupMachine, requiresLogin: false, guestOnly: true, menu: { label: 'menu-signup', audience: 'guest', order: 10 } },
  { id: 'login', machine: loginMachine, requiresLogin: false, guestOnly: true, menu: { label: 'menu-login', audience: 'guest', order: 11 } },
  // `/start act_<token>`: the link in the verification e-mail.
  { id: 'activate', machine: activationMachine, requiresLogin: false, guestOnly: true, deepLinkPrefix: ACTIVATION_DEEP_LINK_PREFIX, menu: { label: 'menu-activate', audience: 'guest', order: 12 } },
  { id: 'forgotpassword', machine: forgotPasswordMachine, requiresLogin: false, guestOnly: true, menu: { label: 'menu-forgot-password', audience: 'guest', order: 13 } },
  { id: 'forgotusername', machine: forgotUsernameMachine, requiresLogin: false, guestOnly: true, menu: { label: 'menu-forgot-username', audience: 'guest', order: 14 } },
  { id: 'changepassword', machine: changePasswordMachine, requiresLogin: true, menu: { label: 'menu-change-password', audience: 'member', order: 70 } },
  { id: 'enroll', machine: enrollmentMachine, requiresLogin: true, menu: { label: 'menu-enroll', audience: 'member', order: 20 } },
  { id: 'cards', machine: cardsMachine, requiresLogin: true, menu: { label: 'menu-cards', audience: 'member', order: 25 } },
  { id: 'pin', machine: pinChangeMachine, requiresLogin: true, menu: { label: 'menu-pin-change', audience: 'member', order: 60 } },
  { id: 'charge', machine: chargeMachine, requiresLogin: true, menu: { label: 'menu-charge', audience: 'member', order: 30 } },
  { id: 'balance', machine: balanceMachine, requiresLogin: true, menu: { label: 'menu-balance', audience: 'member', order: 40 } },
  { id: 'history', machine: historyMachine, requiresLogin: true, menu: { label: 'menu-history', audience: 'member', order: 50 } },
  { id: 'settings', machine: settingsMachine, requiresLogin: true, menu: { label: 'menu-settings', audience: 'member', order: 80 } },
  // `/support` (the flow's id) for guests and members alike; `/end` closes the hand-off.
  { id: 'support', machine: handoffMachine, requiresLogin: false, commands: ['end'], helpLabel: 'menu-support', menu: { label: 'menu-support', audience: 'all', order: 90 } },
];

/** The root machine over the pure flows (tests provide actors themselves). */
export const rootMachine = createRootMachine(flowRegistry);
