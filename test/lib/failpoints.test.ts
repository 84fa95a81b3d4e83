import { afterEach, describe, expect, it } from 'vitest';
import { armFailpoints, failpoint, FailpointError, FAILPOINTS, parseFailpoints } from '../../src/lib/failpoints.js';

// Only `throw` is exercised in this worker: a `kill` failpoint fires only in spawned assistants
// (test/reliability/crash.test.ts).
describe('failpoints', () => {
  afterEach(() => armFailpoints(undefined));

  it('unset: every point is a no-op', () => {
    armFailpoints(undefined);
    for (const p of FAILPOINTS) expect(() => failpoint(p)).not.toThrow();
  });

  it('throw fires on the chosen hit only, once', () => {
    armFailpoints('usage.post.before-commit:throw:3');
    failpoint('usage.post.before-commit');
    failpoint('usage.post.before-commit');
    expect(() => failpoint('usage.post.before-commit')).toThrow(FailpointError);
    expect(() => failpoint('usage.post.before-commit')).not.toThrow();
    expect(() => failpoint('outbox.send.after')).not.toThrow();
  });

  it('the seed chooses kill or throw, the same way every time, and both occur across seeds', () => {
    const pick = (seed: number) => [...parseFailpoints(`seed=${seed},*`).values()].map((a) => a.action).join(',');
    expect(pick(5)).toBe(pick(5));
    const all = new Set(Array.from({ length: 20 }, (_, i) => pick(i)).flatMap((s) => s.split(',')));
    expect([...all].sort()).toEqual(['kill', 'throw']);
  });

  it('refuses an unknown point, action or hit with the entry named', () => {
    expect(() => parseFailpoints('charge.nowhere')).toThrow('unknown failpoint "charge.nowhere"');
    expect(() => parseFailpoints('outbox.send.after:boom')).toThrow('bad action "boom"');
    expect(() => parseFailpoints('outbox.send.after:kill:x')).toThrow('bad hit "x"');
    expect(() => parseFailpoints('seed=abc,outbox.send.after')).toThrow('bad seed');
  });
});
