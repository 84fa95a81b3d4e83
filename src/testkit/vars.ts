/** A script's variables: set by `vars:`, `set:` and every `capture:`. */
export type Vars = Map<string, string>;

/** A `${name}` in a script that no earlier step set. */
export class UnknownVariableError extends Error {
  readonly code = 'CONVERSE.UNKNOWN_VARIABLE';
}

/** Replaces every `${name}` with its value; `$${` stays a literal `${`. */
export function interpolate(text: string, vars: Vars): string {
  return text.replace(/\$?\$\{([\w.-]+)\}/g, (whole, name: string) => {
    if (whole.startsWith('$$')) return whole.slice(1);
    const v = vars.get(name);
    if (v === undefined) throw new UnknownVariableError(`\${${name}} is not set (set it with vars:, set: or capture: in an earlier step)`);
    return v;
  });
}

/** Interpolates every string inside a plain value (objects and arrays included). */
export function interpolateDeep<T>(value: T, vars: Vars): T {
  if (typeof value === 'string') return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'capture' || k === 'regex' ? v : interpolateDeep(v, vars)])) as T;
  }
  return value;
}

/**
 * Reads a value from JSON by a dotted path: `mailer.pin`, `cards[0].last4`, `$.last4`. Numbers and
 * booleans come back as text; objects as JSON.
 */
export function jsonPath(doc: unknown, path: string): string | undefined {
  const parts = path.replace(/^\$\.?/, '').split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
  let cur: unknown = doc;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return undefined;
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}
