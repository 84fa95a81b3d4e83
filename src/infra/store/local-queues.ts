import type { StoredEntry } from './queue.js';
import type { SnapshotPersistence } from './store.js';

/** Where the in-process store keeps queue entries: its persistence (the database) or memory. */
export type QueueBacking = Pick<SnapshotPersistence, 'enqueue' | 'queue' | 'ack' | 'update' | 'dueChats'>;

/** Queue entries in memory, for an in-process store without persistence (tests, the console preview). */
export class MemoryQueueBacking implements QueueBacking {
  private readonly queues = new Map<string, StoredEntry[]>();

  async enqueue(chatKey: string, entries: StoredEntry[]): Promise<void> {
    const q = this.queues.get(chatKey) ?? [];
    for (const e of entries) if (!q.some((x) => x.id === e.id)) q.push({ ...e });
    if (q.length) this.queues.set(chatKey, q);
  }

  async queue(chatKey: string): Promise<StoredEntry[]> {
    return (this.queues.get(chatKey) ?? []).map((e) => ({ ...e }));
  }

  async ack(chatKey: string, entryId: string): Promise<void> {
    const q = this.queues.get(chatKey)?.filter((e) => e.id !== entryId) ?? [];
    if (q.length) this.queues.set(chatKey, q);
    else this.queues.delete(chatKey);
  }

  async update(chatKey: string, entry: StoredEntry): Promise<void> {
    const q = this.queues.get(chatKey);
    const i = q?.findIndex((e) => e.id === entry.id) ?? -1;
    if (q && i >= 0) q[i] = { ...entry };
  }

  async dueChats(now: number, limit: number): Promise<string[]> {
    const out: string[] = [];
    for (const [chat, q] of this.queues) {
      if (q[0] && q[0].notBefore <= now) out.push(chat);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/**
 * Delivery leases for one process (the in-process store serves one process, so a map is enough):
 * who delivers a chat's queue now, until when.
 */
export class LocalLeases {
  private readonly leases = new Map<string, { owner: string; until: number; missed: boolean }>();

  /** Takes or renews the lease; false when someone else holds a live one (who is then told, see {@link missed}). */
  take(chatKey: string, owner: string, leaseMs: number): boolean {
    const l = this.leases.get(chatKey);
    if (l && l.owner !== owner && l.until > Date.now()) {
      l.missed = true;
      return false;
    }
    this.leases.set(chatKey, { owner, until: Date.now() + leaseMs, missed: false });
    return true;
  }

  /** Did someone try to claim the chat while `owner` held it (and may have queued something)? Clears the mark. */
  missed(chatKey: string, owner: string): boolean {
    const l = this.leases.get(chatKey);
    if (!l || l.owner !== owner || !l.missed) return false;
    l.missed = false;
    return true;
  }

  /** Frees the lease if `owner` holds it. */
  free(chatKey: string, owner: string): void {
    if (this.leases.get(chatKey)?.owner === owner) this.leases.delete(chatKey);
  }

  /** Is someone holding a live lease on the chat? */
  held(chatKey: string): boolean {
    const l = this.leases.get(chatKey);
    return Boolean(l && l.until > Date.now());
  }
}
