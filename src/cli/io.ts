/** Where a command writes; lets the same command run in a terminal or inside the running assistant. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** A command failed with a message for the operator (printed as one line, exit code 1). */
export class CliError extends Error {
  readonly code = 'CLI.FAILED';
}

/** Prints a result as JSON (bigint as strings) or as text. */
export function printResult(io: CliIO, json: boolean, value: unknown, text: () => string): void {
  if (json) io.out(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  else io.out(text());
}
