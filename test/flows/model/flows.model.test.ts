import { describe, expect, it } from 'vitest';
import { flowRegistry } from '../../../flows/index.js';
import { DEFAULT_OUTCOMES } from './doubles.js';
import { FlowModel, cancelViaRoot, deadEnds, describePath, loadHints } from './explore.js';

/**
 * Model-based tests of every flow in the registry (new flows are covered as they are registered):
 * xstate/graph explores every reachable state with sample texts, every button the flow shows, and
 * every outcome of its side effects (test doubles in ./doubles.ts or the flow's test-doubles.ts).
 * Each flow must never throw, never dead-end (from every state some events reach the end), and
 * /cancel must leave it from every state through the root.
 */
describe('model-based: every flow', () => {
  for (const entry of flowRegistry) {
    it(`${entry.id}: explores every state; no throw, no dead end, /cancel always works`, async () => {
      const model = new FlowModel(entry, await loadHints(entry.id));
      const paths = model.shortestPaths();
      const states = paths.map((p) => p.state);
      console.log(`[model] ${entry.id}: ${paths.length} paths (one shortest path per reachable state)`);
      expect(paths.length).toBeGreaterThan(1);

      const thrown = paths.filter((p) => p.state.flowStatus === 'error' && !p.state.error?.fromPort);
      const hint = model.undoubled.size ? ` (side effects without test doubles, given ${JSON.stringify(DEFAULT_OUTCOMES)}: ${[...model.undoubled].join(', ')} — add their outcomes to test/flows/model/doubles.ts or the flow's test-doubles.ts)` : '';
      expect(thrown.map((p) => `${describePath(model, p)}: ${p.state.error?.message}`), `the flow threw${hint}`).toEqual([]);

      // One example per stuck state value (the same state reached with other earlier outcomes says nothing new).
      const stuck = [...new Map(deadEnds(model.adjacency()).map((s) => [JSON.stringify(s.value), s])).values()];
      expect(stuck.map((s) => `${JSON.stringify(s.value)} (reached by ${describePath(model, paths.find((p) => p.state.key === s.key)!)})`), `states with no way to the end (only /cancel or /menu leave them: a reply without buttons makes the earlier buttons expire, so such a reply must show the buttons again)${hint}`).toEqual([]);

      expect(states.some((s) => s.flowStatus === 'done'), 'the flow can finish').toBe(true);

      const failures: string[] = [];
      for (const p of paths) {
        if (p.state.flowStatus !== 'active' || p.state.pending.length) continue;
        const r = cancelViaRoot(model, p);
        if (!r.ok) failures.push(`${describePath(model, p)}: ${r.why}`);
      }
      expect(failures, '/cancel through the root').toEqual([]);
    });
  }
});
