import { fromPromise } from 'xstate';

/** Raised when a flow runs without its side effects provided (a wiring mistake, never user input). */
export class PortNotProvidedError extends Error {
  readonly code = 'FLOW.PORT_NOT_PROVIDED';
}

/**
 * A named side effect a flow needs. Flows declare it with its types; `src/` provides the real one
 * with `machine.provide({ actors: { name: fromPromise(...) } })`. Keeps `flows/` free of I/O.
 */
export function port<TInput, TOutput>() {
  return fromPromise<TOutput, TInput>(async () => {
    throw new PortNotProvidedError('side effect not provided');
  });
}
