/**
 * The registry of cardholder flows and the root machine built from it. Each flow lives in its own
 * folder as a pure XState machine; its side effects are named actors that `src/` provides.
 */
import { createRootMachine, type FlowEntry } from './root.js';

export type { FlowEntry, RootInput, RootContext, ClockEvent, SessionEvent } from './root.js';
export { createRootMachine } from './root.js';

/** Every flow, as pure machines (actors not yet provided). Order does not matter. */
export const flowRegistry: FlowEntry[] = [];

/** The root machine over the pure flows (tests provide actors themselves). */
export const rootMachine = createRootMachine(flowRegistry);
