import { createRootMachine, flowRegistry, type FlowEntry } from '../../flows/index.js';
import type { Services } from './services.js';

/** Side-effect implementations of each flow, by flow id (actor name → implementation). */
export type FlowActors = Record<string, Record<string, unknown>>;

/** The actors each flow needs, built from the services. */
export function flowActors(_services: Services): FlowActors {
  return {};
}

/** The root machine with every flow's side effects provided. */
export function buildRootMachine(services: Services, extra: FlowEntry[] = []) {
  const actors = flowActors(services);
  const entries = [...flowRegistry, ...extra].map((f) => {
    const impl = actors[f.id];
    return impl ? { ...f, machine: f.machine.provide({ actors: impl as never }) } : f;
  });
  return createRootMachine(entries);
}
