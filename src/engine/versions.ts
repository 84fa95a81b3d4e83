import { createHash } from 'node:crypto';
import type { AnyStateMachine } from 'xstate';
import type { StateStore } from '../infra/store/store.js';

/** Fingerprints of the root machine and of each flow it runs, so a changed machine is noticed per flow. */
export interface MachineVersions {
  root: string;
  flows: Record<string, string>;
}

/** How a stored conversation relates to the machines of this process. */
export type VersionVerdict = 'same' | 'flow-changed' | 'root-changed' | 'newer';

/** How long a version's first sighting is remembered (longer than any rolling deploy). */
const REGISTRY_TTL_MS = 90 * 24 * 3600_000;
/**
 * A newer version is left alone only this long after it first appeared: long enough for a rolling
 * deploy; after that (a rollback, say) the older machine takes over and resets such chats once.
 */
const ROLLING_DEPLOY_MS = 30 * 60_000;

/** A stable fingerprint of a machine's states and transitions (functions left out). */
function fingerprint(machine: AnyStateMachine): string {
  return createHash('sha256').update(JSON.stringify(machine.definition, (_k, v) => (typeof v === 'function' ? undefined : v))).digest('hex').slice(0, 12);
}

/** The versions of a root machine and of every flow machine it invokes. */
export function machineVersions(root: AnyStateMachine): MachineVersions {
  const flows: Record<string, string> = {};
  const actors = (root.implementations?.actors ?? {}) as Record<string, unknown>;
  for (const [id, actor] of Object.entries(actors)) {
    if (actor && typeof actor === 'object' && 'definition' in actor && (root.config.states as Record<string, unknown> | undefined)?.[id]) flows[id] = fingerprint(actor as AnyStateMachine);
  }
  return { root: fingerprint(root), flows };
}

/**
 * Compares stored versions with this process's, across processes. Each process records when it first
 * saw each of its versions (in the shared store), so during a rolling deploy an older process that
 * meets a newer conversation leaves it alone ({@link VersionVerdict} `newer`) instead of resetting
 * it, and the two never keep resetting each other's chats.
 */
export class VersionRegistry {
  private registered: Promise<Map<string, number>> | undefined;
  private readonly startedAt: number;

  constructor(private readonly store: Pick<StateStore, 'get' | 'set'>, readonly current: MachineVersions) {
    // At start, not on first need: the order processes started in is what tells old from new.
    this.startedAt = Date.now();
    void this.register().catch(() => (this.registered = undefined));
  }

  /** The verdict for a conversation saved with `root` and, when it was inside a flow, that flow's version. */
  async verdict(saved: { root?: string; flow?: { id: string; v: string } }): Promise<VersionVerdict> {
    if (saved.root === this.current.root && (!saved.flow || this.current.flows[saved.flow.id] === saved.flow.v)) return 'same';
    const rootChanged = saved.root !== this.current.root;
    const theirs = rootChanged ? saved.root : saved.flow!.v;
    const ours = rootChanged ? this.current.root : this.current.flows[saved.flow!.id];
    if (theirs && ours && (await this.isNewer(theirs, ours))) return 'newer';
    return rootChanged ? 'root-changed' : 'flow-changed';
  }

  private async isNewer(theirs: string, ours: string): Promise<boolean> {
    const seen = await this.register();
    const t = await this.store.get(`ver:${theirs}`);
    // Unknown to the registry: older than anything that runs now (or forgotten long ago).
    return t !== null && Number(t) > (seen.get(ours) ?? 0) && Date.now() - Number(t) < ROLLING_DEPLOY_MS;
  }

  /** Records this process's versions (first sighting wins) and reads back when each was first seen. */
  private register(): Promise<Map<string, number>> {
    this.registered ??= (async () => {
      const seen = new Map<string, number>();
      const versions = [...new Set([this.current.root, ...Object.values(this.current.flows)])];
      await Promise.all(versions.map(async (v) => {
        let t = await this.store.get(`ver:${v}`);
        if (t === null) {
          // When this process started, however long the writes take.
          t = String(this.startedAt);
          await this.store.set(`ver:${v}`, t, REGISTRY_TTL_MS);
        }
        seen.set(v, Number(t));
      }));
      return seen;
    })();
    return this.registered;
  }
}

/**
 * A persisted root snapshot taken out of the flow it was in: back at the menu, the flow's own state
 * dropped (it belongs to a machine that no longer exists), the rest of the root (session, language) kept.
 */
export function leaveFlow(snapshot: unknown): unknown {
  const s = snapshot as { value?: unknown; children?: Record<string, unknown>; context?: Record<string, unknown> };
  const children = { ...(s.children ?? {}) };
  delete children.flow;
  return { ...s, value: 'menu', children, context: { ...(s.context ?? {}), current: null, after: null, arg: null } };
}
