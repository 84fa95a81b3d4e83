import { createActor, isMachineSnapshot, type AnyActorRef, type AnyEventObject, type AnyStateMachine } from 'xstate';
import type { Reply, ReplyEvent } from '../../flows/shared/protocol.js';

/** A turn's side effects did not settle in time. */
export class TurnTimeoutError extends Error {
  readonly code = 'ENGINE.TURN_TIMEOUT';
}

/** What one run of the root machine produced. */
export interface MachineRun {
  emitted: Reply[];
  persisted: unknown;
  value: unknown;
  context: Record<string, unknown>;
  /** The state before the events was tagged `secret` (what the person typed must leave the chat). */
  wasSecret: boolean;
}

/**
 * Restores the root actor from `snapshot` (or starts it fresh), sends the events, waits until no
 * invoked side effect is still running, and returns the persisted snapshot and the replies every
 * actor emitted. Null when the snapshot cannot be restored. On a timeout the actor is stopped, so
 * nothing it does later can reach the chat, and {@link TurnTimeoutError} is thrown.
 */
export async function runMachine(machine: AnyStateMachine, snapshot: unknown, input: object, events: AnyEventObject[], timeoutMs: number): Promise<MachineRun | null> {
  const emitted: Reply[] = [];
  const actors = new Set<AnyActorRef>();
  let actor: AnyActorRef;
  try {
    const inspect = (ev: { type: string; actorRef: AnyActorRef }): void => {
      if (ev.type === '@xstate.actor' && !actors.has(ev.actorRef)) {
        actors.add(ev.actorRef);
        ev.actorRef.on('reply', (e: ReplyEvent) => emitted.push(e.reply));
      }
    };
    actor = createActor(machine, { input, ...(snapshot ? { snapshot: snapshot as never } : {}), inspect: inspect as never });
    // Errors are read from the snapshot's status after the turn; without a listener XState rethrows them globally.
    actor.subscribe({ error: () => undefined });
    actor.start();
  } catch {
    return null;
  }
  if (actor.getSnapshot().status === 'error') {
    actor.stop();
    return null;
  }
  const wasSecret = hasTag(actor, 'secret');
  for (const e of events) actor.send(e);
  let failure: unknown;
  await settle(actor, actors, timeoutMs).catch((err: unknown) => (failure = err));
  const snap = actor.getSnapshot();
  const persisted = actor.getPersistedSnapshot();
  // Stopped in every case: a timed-out side effect that finishes later changes nothing.
  actor.stop();
  if (failure) throw failure;
  if (snap.status === 'error') throw new Error(`root machine failed: ${(snap as { error?: Error }).error?.message ?? 'unknown error'}`);
  return { emitted, persisted, value: (persisted as { value?: unknown }).value, context: ((persisted as { context?: Record<string, unknown> }).context ?? {}), wasSecret };
}

/** Waits until no invoked promise/callback actor is still running. */
async function settle(root: AnyActorRef, actors: Set<AnyActorRef>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = [...actors].filter((a) => a !== root && a.getSnapshot().status === 'active' && !isMachineSnapshot(a.getSnapshot()));
    if (running.length === 0) return;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new TurnTimeoutError('side effects did not finish in time');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((a) => new Promise<void>((res) => {
        const sub = a.subscribe({ complete: () => res(), error: () => res() });
        if (a.getSnapshot().status !== 'active') {
          sub.unsubscribe();
          res();
        }
      }))),
      new Promise((res) => (timer = setTimeout(res, Math.min(remaining, 1000)))),
    ]);
    clearTimeout(timer);
    await new Promise((res) => setImmediate(res));
  }
}

/** Is any active state of the root or its running flows tagged `tag`? */
function hasTag(actor: AnyActorRef, tag: string): boolean {
  const snap = actor.getSnapshot() as { hasTag?: (t: string) => boolean; children?: Record<string, AnyActorRef> };
  if (snap.hasTag?.(tag)) return true;
  return Object.values(snap.children ?? {}).some((c) => c && isMachineSnapshot(c.getSnapshot()) && hasTag(c, tag));
}
