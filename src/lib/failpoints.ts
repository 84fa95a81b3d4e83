/**
 * Failpoints: named places in the code where a test can make the process crash (`SIGKILL` to
 * itself) or the call fail, to prove that nothing is lost or doubled (FoundationDB / TiKV style).
 * Armed only by the `OMNIPAY_FAILPOINTS` test hook (refused in production); unset, {@link failpoint}
 * is one property read on an empty object.
 *
 * The spec is a comma-separated list of `<point>[:<action>][:<hit>]` and an optional `seed=<n>`:
 * `action` is `kill`, `throw` or `seed` (the seed chooses; the default), `hit` the 1-based hit on
 * which it fires (default 1). `*` as the point arms every point. A `throw` fires once.
 * Example: `OMNIPAY_FAILPOINTS=seed=7,charge.complete.after-commit:kill:3,outbox.send.after`.
 */

/** Every failpoint in the code, so a driver can pick one and a typo fails at start. */
export const FAILPOINTS = [
  'charge.complete.before-commit',
  'charge.complete.after-commit',
  'usage.post.before-commit',
  'usage.post.after-commit',
  'refund.approve.before-commit',
  'refund.approve.after-commit',
  'outbox.send.before',
  'outbox.send.after',
  'notice.deliver.before',
  'notice.deliver.after',
  'snapshot.write.before',
  'snapshot.write.after',
  'slack.post.before',
  'slack.post.after',
  'slack.relay.before',
  'slack.relay.after',
] as const;

export type FailpointName = (typeof FAILPOINTS)[number];
export type FailAction = 'kill' | 'throw';

/** The error a `throw` failpoint raises. */
export class FailpointError extends Error {
  readonly code = 'FAILPOINT.FIRED';
  constructor(readonly point: string) {
    super(`failpoint ${point} fired`);
  }
}

interface Arm {
  action: FailAction;
  hit: number;
  seen: number;
}

const NONE: Record<string, Arm> = Object.freeze({}) as Record<string, Arm>;
let armed: Record<string, Arm> = NONE;

/** Parses a spec (see the module comment); throws a one-line error naming a bad entry. */
export function parseFailpoints(spec: string): Map<FailpointName, { action: FailAction; hit: number }> {
  const entries = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const seedEntry = entries.find((e) => e.startsWith('seed='));
  const seed = seedEntry ? Number(seedEntry.slice(5)) : 1;
  if (!Number.isSafeInteger(seed)) throw new Error(`bad seed in "${seedEntry}", e.g. seed=42`);
  const next = mulberry32(seed);
  const out = new Map<FailpointName, { action: FailAction; hit: number }>();
  for (const e of entries) {
    if (e.startsWith('seed=')) continue;
    const [name = '', a = 'seed', h = '1'] = e.split(':');
    const names = name === '*' ? [...FAILPOINTS] : [name];
    if (name !== '*' && !(FAILPOINTS as readonly string[]).includes(name)) throw new Error(`unknown failpoint "${name}", e.g. charge.complete.before-commit`);
    if (a !== 'kill' && a !== 'throw' && a !== 'seed') throw new Error(`bad action "${a}" in "${e}": kill, throw or seed`);
    const hit = Number(h);
    if (!Number.isSafeInteger(hit) || hit < 1) throw new Error(`bad hit "${h}" in "${e}": a whole number from 1, e.g. ${name}:kill:2`);
    for (const n of names) out.set(n as FailpointName, { action: a === 'seed' ? (next() < 0.5 ? 'kill' : 'throw') : a, hit });
  }
  return out;
}

/** Arms the failpoints of `spec` (unset or empty: none). Called once at start by the app. */
export function armFailpoints(spec: string | undefined): void {
  if (!spec) {
    armed = NONE;
    return;
  }
  const table: Record<string, Arm> = {};
  for (const [name, a] of parseFailpoints(spec)) table[name] = { ...a, seen: 0 };
  armed = table;
}

/** Marks a failpoint: crashes the process or throws {@link FailpointError} when armed and due. */
export function failpoint(name: FailpointName): void {
  const a = armed[name];
  if (a === undefined || ++a.seen !== a.hit) return;
  if (a.action === 'throw') throw new FailpointError(name);
  // Said on stderr (the driver counts crashes by it), then no cleanup of any kind: a power cut.
  process.stderr.write(`failpoint ${name}: SIGKILL\n`);
  process.kill(process.pid, 'SIGKILL');
}

/** A small seeded PRNG (mulberry32): the same seed gives the same choices in every process. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
