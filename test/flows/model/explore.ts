import { existsSync, readdirSync } from 'node:fs';
import { createActor, type ActorLogic, type AnyActorRef, type AnyStateMachine, type EventObject, type Snapshot } from 'xstate';
import { getAdjacencyMap, getShortestPaths, type AdjacencyMap, type StatePath } from 'xstate/graph';
import { createRootMachine, type FlowEntry } from '../../../flows/root.js';
import type { FlowInput, Reply, ReplyEvent, Session } from '../../../flows/shared/protocol.js';
import { DEFAULT_OUTCOMES, DOUBLES, SAMPLE_TEXTS, type Outcomes } from './doubles.js';

/** The time every explored event carries (fixed, so exploring is deterministic). */
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);
const SESSION: Session = { memberId: 'm1', username: 'alice', sessionId: 's1', startedAt: T0, lastSeenAt: T0 };

/** A port waiting for its outcome: where it is (child ids from the flow) and its name. */
interface Pending {
  path: string[];
  port: string;
  input: unknown;
}

/** One state of the model: the flow's persisted snapshot plus what the person can do now. */
export type ModelState = Snapshot<unknown> & ModelFields;

/** What a model state holds besides the snapshot fields xstate/graph expects. */
export interface ModelFields {
  persisted: unknown;
  key: string;
  flowStatus: 'active' | 'done' | 'error' | 'stopped';
  /** The flow's state value, with the values of running sub-flows. */
  value: unknown;
  pending: Pending[];
  /** Button values on offer (those shown in the current turn). */
  screen: string[];
  /** The last outcome (index into the doubles, or failed) of each side effect so far. */
  outcomes: Record<string, number | 'failed'>;
  replies: Reply[];
  /** The flow failed: why, and whether a port's failure caused it (the root handles that). */
  error?: { message: string; fromPort: boolean };
}

/** What the model can do: the person's events, and a waiting port finishing (each outcome) or failing. */
export type ModelEvent =
  | { type: 'text'; text: string; at: number }
  | { type: 'button'; value: string; at: number }
  | { type: 'model.done'; path: string[]; port: string; outcome: number }
  | { type: 'model.error'; path: string[]; port: string };

/** Optional hints a flow folder can export from `test-doubles.ts`. */
export interface FlowHints {
  testDoubles?: Record<string, Outcomes>;
  sampleTexts?: string[];
  input?: Partial<FlowInput>;
}

/**
 * Loads the hints a flow folder ships in `test-doubles.ts`: the folder named like the flow's id, or
 * any folder whose file exports `flowId` equal to it (folder `pin-change` for flow `pin`).
 */
export async function loadHints(id: string): Promise<FlowHints> {
  const root = new URL('../../../flows/', import.meta.url);
  for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const file = new URL(`${dir.name}/test-doubles.ts`, root);
    if (!existsSync(file)) continue;
    const hints = (await import(file.href)) as FlowHints & { flowId?: string };
    if (hints.flowId === id || (hints.flowId === undefined && dir.name === id)) return hints;
  }
  return {};
}

/** A port that waits until the model tells it how it ended. */
function pendingPort(name: string): ActorLogic<Snapshot<unknown> & { input: unknown; port: string }, EventObject, unknown> {
  return {
    config: { port: name },
    transition: (s, ev) => {
      const e = ev as { type: string; output?: unknown };
      if (e.type === 'model.resolve') return { ...s, status: 'done', output: e.output } as never;
      if (e.type === 'model.reject') return { ...s, status: 'error', error: new Error(`${name} failed (model double)`) } as never;
      return s;
    },
    getInitialSnapshot: (_scope, input) => ({ status: 'active', output: undefined, error: undefined, input, port: name }) as never,
    getPersistedSnapshot: (s) => s,
    restoreSnapshot: (s) => s as never,
  };
}

function isMachine(logic: unknown): logic is AnyStateMachine {
  return typeof (logic as { getStateNodeById?: unknown })?.getStateNodeById === 'function';
}

/** The machine with every port (at any depth of sub-flows) replaced by a {@link pendingPort}. */
export function withDoubles(machine: AnyStateMachine): AnyStateMachine {
  const actors = (machine.implementations.actors ?? {}) as Record<string, unknown>;
  const replaced: Record<string, unknown> = {};
  for (const [name, logic] of Object.entries(actors)) replaced[name] = isMachine(logic) ? withDoubles(logic) : pendingPort(name);
  return machine.provide({ actors: replaced as never });
}

/** Starts an actor (restored or new), collecting the replies every machine in it emits. */
function startActor(machine: AnyStateMachine, input: unknown, persisted: unknown, replies: Reply[]): AnyActorRef {
  const seen = new Set<AnyActorRef>();
  const actor = createActor(machine, {
    input,
    ...(persisted ? { snapshot: persisted as never } : {}),
    inspect: (ev) => {
      const ref = ev.actorRef as AnyActorRef;
      if (ev.type === '@xstate.actor' && !seen.has(ref)) {
        seen.add(ref);
        ref.on('reply', (e: ReplyEvent) => replies.push(e.reply));
      }
    },
  });
  actor.subscribe({ error: () => undefined });
  actor.start();
  return actor;
}

/** Ports waiting for an outcome, found at any depth of running sub-flows. */
function pendingPorts(ref: AnyActorRef, path: string[] = []): Pending[] {
  const children = (ref.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> }).children ?? {};
  const out: Pending[] = [];
  for (const [id, child] of Object.entries(children)) {
    if (!child) continue;
    const s = child.getSnapshot() as { status: string; port?: string; input?: unknown };
    if (s.port && s.status === 'active') out.push({ path: [...path, id], port: s.port, input: s.input });
    else if (s.status === 'active') out.push(...pendingPorts(child, [...path, id]));
  }
  return out;
}

function deepValue(ref: AnyActorRef): unknown {
  const s = ref.getSnapshot() as { value?: unknown; children?: Record<string, AnyActorRef | undefined> };
  const subs = Object.entries(s.children ?? {}).filter(([, c]) => c && (c.getSnapshot() as { value?: unknown }).value !== undefined);
  return subs.length ? { value: s.value, subflows: Object.fromEntries(subs.map(([id, c]) => [id, deepValue(c!)])) } : s.value;
}

function childAt(root: AnyActorRef, path: string[]): AnyActorRef {
  let ref = root;
  for (const id of path) {
    const next = (ref.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> }).children?.[id];
    if (!next) throw new Error(`no running actor at ${path.join('/')}`);
    ref = next;
  }
  return ref;
}

function buttonValues(replies: Reply[]): string[] {
  return replies.flatMap((r) => ('buttons' in r && r.buttons ? r.buttons.flat().map((b) => b.value) : []));
}

/** The model of one flow: its states are the flow's persisted snapshots; its events, what may happen. */
export class FlowModel {
  readonly machine: AnyStateMachine;
  readonly input: FlowInput;
  private readonly doubles: Record<string, Outcomes>;
  private readonly texts: string[];

  constructor(readonly entry: FlowEntry, hints: FlowHints = {}) {
    this.machine = withDoubles(entry.machine);
    this.doubles = { ...DOUBLES, ...hints.testDoubles };
    this.texts = [...new Set([...SAMPLE_TEXTS, ...(hints.sampleTexts ?? [])])];
    this.input = { chatKey: 'model:1', lang: 'en', session: entry.requiresLogin ? SESSION : null, now: T0, ...hints.input };
  }

  /** Side effects that had no test doubles (they got {@link DEFAULT_OUTCOMES}). */
  readonly undoubled = new Set<string>();

  /** The outcomes a port may have, for its input. */
  outcomes(port: string, input: unknown): unknown[] {
    const d = this.doubles[port];
    if (!d) {
      this.undoubled.add(port);
      return DEFAULT_OUTCOMES;
    }
    return typeof d === 'function' ? d(input) : d;
  }

  private snapshotOf(actor: AnyActorRef, replies: Reply[], screen: string[], outcomes: Record<string, number | 'failed'>, error?: { message: string; fromPort: boolean }): ModelState {
    const snap = actor.getSnapshot() as { status: ModelState['flowStatus']; error?: unknown };
    const pending = snap.status === 'active' ? pendingPorts(actor) : [];
    const value = deepValue(actor);
    const err = snap.status === 'error' ? (error ?? { message: String((snap.error as Error)?.message ?? snap.error), fromPort: false }) : undefined;
    const persisted = snap.status === 'active' ? actor.getPersistedSnapshot() : null;
    actor.stop();
    // The last outcome of each side effect is part of the state, so branches decided later by what an
    // earlier call returned (a log-in "pending" vs "ok" across the CAPTCHA) stay apart; typed texts
    // are not (they would make the states endless).
    const key = JSON.stringify({ v: value, o: outcomes, s: snap.status, p: pending.map((p) => `${p.path.join('/')}:${p.port}`), b: [...screen].sort(), e: err?.fromPort });
    return { status: 'active', output: undefined, error: undefined, persisted, key, flowStatus: snap.status, value, pending, screen, replies, outcomes, ...(err ? { error: err } : {}) } as ModelState;
  }

  /** The model as actor logic for xstate/graph: synchronous, each step restores the flow and runs one event. */
  logic(): ActorLogic<ModelState, ModelEvent, unknown> {
    return {
      config: this.entry.id,
      getInitialSnapshot: () => {
        const replies: Reply[] = [];
        const actor = startActor(this.machine, this.input, undefined, replies);
        return this.snapshotOf(actor, replies, buttonValues(replies), {});
      },
      transition: (state: ModelState, event: ModelEvent) => {
        if (state.flowStatus !== 'active') return state;
        const replies: Reply[] = [];
        const actor = startActor(this.machine, this.input, state.persisted, replies);
        let fromPort = false;
        const outcomes = { ...state.outcomes };
        if (event.type === 'model.done' || event.type === 'model.error') {
          outcomes[event.port] = event.type === 'model.done' ? event.outcome : 'failed';
          const port = childAt(actor, event.path);
          const input = (port.getSnapshot() as { input: unknown }).input;
          if (event.type === 'model.done') port.send({ type: 'model.resolve', output: this.outcomes(event.port, input)[event.outcome] });
          else {
            fromPort = true;
            port.send({ type: 'model.reject' });
          }
        } else {
          actor.send(event);
        }
        const turn = event.type === 'text' || event.type === 'button' ? buttonValues(replies) : [...state.screen, ...buttonValues(replies)];
        const snap = actor.getSnapshot() as { status: string; error?: unknown };
        const error = snap.status === 'error' ? { message: String((snap.error as Error)?.message ?? snap.error), fromPort } : undefined;
        return this.snapshotOf(actor, replies, turn, outcomes, error);
      },
      getPersistedSnapshot: (s: ModelState) => s,
    } as unknown as ActorLogic<ModelState, ModelEvent, unknown>;
  }

  /** What may happen in a state: a waiting port ends (each outcome, or fails); else the person types or presses. */
  events(state: ModelState): ModelEvent[] {
    if (state.flowStatus !== 'active') return [];
    const p = state.pending[0];
    if (p) {
      return [
        ...this.outcomes(p.port, p.input).map((_o, i) => ({ type: 'model.done' as const, path: p.path, port: p.port, outcome: i })),
        { type: 'model.error' as const, path: p.path, port: p.port },
      ];
    }
    return [
      ...this.texts.map((text) => ({ type: 'text' as const, text, at: T0 })),
      ...[...new Set(state.screen)].map((value) => ({ type: 'button' as const, value, at: T0 })),
    ];
  }

  private options() {
    return { events: (s: ModelState) => this.events(s), serializeState: (s: ModelState) => s.key, limit: 60_000 };
  }

  /** Every reachable state, with the shortest path to it (xstate/graph). */
  shortestPaths(): StatePath<ModelState, ModelEvent>[] {
    return getShortestPaths(this.logic() as never, this.options() as never) as unknown as StatePath<ModelState, ModelEvent>[];
  }

  /** The reachable states and their transitions (xstate/graph). */
  adjacency(): AdjacencyMap<ModelState, ModelEvent> {
    return getAdjacencyMap(this.logic() as never, this.options() as never) as unknown as AdjacencyMap<ModelState, ModelEvent>;
  }
}

/** States from which no sequence of events reaches the flow's end (done, or a port failure the root handles). */
export function deadEnds(adj: AdjacencyMap<ModelState, ModelEvent>): ModelState[] {
  const reverse = new Map<string, Set<string>>();
  const ends: string[] = [];
  for (const [key, v] of Object.entries(adj)) {
    if (v.state.flowStatus === 'done' || (v.state.flowStatus === 'error' && v.state.error?.fromPort)) ends.push(key);
    for (const t of Object.values(v.transitions) as { state: ModelState }[]) {
      const to = t.state.key;
      if (!reverse.has(to)) reverse.set(to, new Set());
      reverse.get(to)!.add(key);
    }
  }
  const good = new Set(ends);
  const queue = [...ends];
  while (queue.length) {
    for (const from of reverse.get(queue.pop()!) ?? []) {
      if (!good.has(from)) {
        good.add(from);
        queue.push(from);
      }
    }
  }
  return Object.entries(adj).filter(([k, v]) => !good.has(k) && v.state.flowStatus === 'active').map(([, v]) => v.state);
}

/**
 * Replays a path through the root machine (the flow started by its command, logged in if it needs
 * it), then sends /cancel: the root must be back at the menu with the flow stopped and say so.
 */
export function cancelViaRoot(model: FlowModel, path: StatePath<ModelState, ModelEvent>): { ok: true } | { ok: false; why: string } {
  const entry = { ...model.entry, machine: model.machine };
  const root = createRootMachine([entry]);
  const replies: Reply[] = [];
  const actor = startActor(root, { chatKey: 'model:1', lang: 'en', sessionIdleMs: 3600_000, sessionMaxMs: 12 * 3600_000 }, undefined, replies);
  try {
    actor.send({ type: 'clock', at: T0 });
    if (model.entry.requiresLogin) actor.send({ type: 'session', session: SESSION });
    actor.send({ type: 'command', name: model.entry.id, arg: model.input.arg ?? '', at: T0 });
    for (const step of modelSteps(path)) {
      const e = step.event;
      if (e.type === 'model.done' || e.type === 'model.error') {
        const port = childAt(actor, ['flow', ...e.path]);
        const input = (port.getSnapshot() as { input: unknown }).input;
        port.send(e.type === 'model.done' ? { type: 'model.resolve', output: model.outcomes(e.port, input)[e.outcome] } : { type: 'model.reject' });
      } else actor.send(e);
    }
    replies.length = 0;
    actor.send({ type: 'command', name: 'cancel', arg: '', at: T0 });
    const snap = actor.getSnapshot() as { value: unknown; status: string; context: { current: string | null }; children: Record<string, unknown> };
    if (snap.status !== 'active') return { ok: false, why: `the root is ${snap.status}` };
    if (snap.value !== 'menu') return { ok: false, why: `after /cancel the root is in ${JSON.stringify(snap.value)}, not the menu` };
    if (snap.context.current !== null || snap.children.flow) return { ok: false, why: 'after /cancel the flow is still running' };
    if (!replies.some((r) => r.kind === 'text' && r.msg.key === 'cancelled')) return { ok: false, why: `after /cancel the root did not say "cancelled" (said ${replies.map((r) => (r.kind === 'text' ? r.msg.key : r.kind)).join(', ')})` };
    return { ok: true };
  } finally {
    actor.stop();
  }
}

/** The steps of a path that are model events (xstate/graph starts a path with its own init step). */
function modelSteps(path: StatePath<ModelState, ModelEvent>) {
  return path.steps.filter((s) => ['text', 'button', 'model.done', 'model.error'].includes(s.event.type));
}

/** A path as the events a person (and the doubles) produced, for failure messages. */
export function describePath(model: FlowModel, path: StatePath<ModelState, ModelEvent>): string {
  return [`/${model.entry.id}`, ...modelSteps(path).map((s) => {
    const e = s.event;
    if (e.type === 'text') return JSON.stringify(e.text);
    if (e.type === 'button') return `[${e.value}]`;
    if (e.type === 'model.done') return `${e.port} → ${JSON.stringify(model.outcomes(e.port, undefined)[e.outcome])}`;
    return `${e.port} fails`;
  })].join(' → ');
}
