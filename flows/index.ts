/**
 * The registry of cardholder flows and the root machine built from it. Each flow lives in its own
 * folder as a pure XState machine; its side effects are named actors that `src/` provides.
 */
import { createRootMachine, type FlowEntry } from './root.js';
import { cardsMachine } from './cards/machine.js';
import { enrollmentMachine } from './enrollment/machine.js';
import { pinChangeMachine } from './pin-change/machine.js';

export type { FlowEntry, RootInput, RootContext, ClockEvent, SessionEvent } from './root.js';
export { createRootMachine } from './root.js';

/** Every flow, as pure machines (actors not yet provided). Order does not matter. */
export const flowRegistry: FlowEntry[] = [
  { id: 'enroll', machine: enrollmentMachine, requiresLogin: true, menu: { label: 'menu-enroll', audience: 'member', order: 20 } },
  { id: 'cards', machine: cardsMachine, requiresLogin: true, menu: { label: 'menu-cards', audience: 'member', order: 25 } },
  { id: 'pin', machine: pinChangeMachine, requiresLogin: true, menu: { label: 'menu-pin-change', audience: 'member', order: 60 } },
];

/** The root machine over the pure flows (tests provide actors themselves). */
export const rootMachine = createRootMachine(flowRegistry);
