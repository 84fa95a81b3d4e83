/**
 * JSON that keeps bigint: `{"$bigint":"123"}`. XState snapshots may hold money amounts, and plain
 * JSON.stringify throws on bigint.
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

/** Reverses {@link encode}. */
export function decode<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$bigint' && typeof v.$bigint === 'string') return BigInt(v.$bigint);
    }
    return v;
  }) as T;
}
