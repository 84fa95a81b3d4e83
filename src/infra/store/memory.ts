import { LocalLeases, MemoryQueueBacking, type QueueBacking } from './local-queues.js';
import type { ClaimRequest, CommitResult, StoredEntry } from './queue.js';
import type { SnapshotPersistence, StateStore, StoredSnapshot, TokenBucket } from './store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The in-process store for one process: per-chat promise chains for ordering, maps for the rest,
 * snapshots in `persistence` (the database) so conversations survive restarts.
 */
export class MemoryStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly values = new Map<string, Entry>();
  private readonly memSnapshots = new Map<string, StoredSnapshot>();
  private readonly backing: QueueBacking;
  private readonly leases = new LocalLeases();
  private readonly buckets = new Map<string, { t: number; ts: number }>();

  constructor(private readonly persistence?: SnapshotPersistence) {
    this.backing = persistence ?? new MemoryQueueBacking();
  }

  runTurn<T>(chatKey: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(chatKey) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.chains.set(chatKey, tail);
    void tail.then(() => {
      if (this.chains.get(chatKey) === tail) this.chains.delete(chatKey);
    });
    return run;
  }

  async loadSnapshot(chatKey: string): Promise<StoredSnapshot | null> {
    if (this.persistence) return this.persistence.load(chatKey);
    return this.memSnapshots.get(chatKey) ?? null;
  }

  async saveSnapshot(chatKey: string, expectedVersion: number, data: string, ttlMs: number): Promise<boolean> {
    if (this.persistence) return this.persistence.save(chatKey, expectedVersion, data, new Date(Date.now() + ttlMs));
    const cur = this.memSnapshots.get(chatKey)?.version ?? 0;
    if (cur !== expectedVersion) return false;
    this.memSnapshots.set(chatKey, { version: cur + 1, data });
    return true;
  }

  async commitTurn(chatKey: string, expectedVersion: number, data: string, ttlMs: number, entries: StoredEntry[], claim?: ClaimRequest): Promise<CommitResult> {
    if (this.persistence) {
      if (!(await this.persistence.save(chatKey, expectedVersion, data, new Date(Date.now() + ttlMs), entries))) return { ok: false };
    } else {
      if (!(await this.saveSnapshot(chatKey, expectedVersion, data, ttlMs))) return { ok: false };
      await this.backing.enqueue(chatKey, entries);
    }
    if (!claim || !entries.length) return { ok: true };
    const claimed = await this.claim(chatKey, claim.owner, claim.leaseMs);
    if (!claimed) return { ok: true };
    const tokens = claim.buckets?.length ? (await this.acquire(claim.buckets, claim.cost ?? 1)) === 0 : false;
    return { ok: true, claimed, tokens };
  }

  async enqueue(chatKey: string, entries: StoredEntry[]): Promise<void> {
    await this.backing.enqueue(chatKey, entries);
  }

  async claim(chatKey: string, owner: string, leaseMs: number): Promise<StoredEntry[] | null> {
    if (!this.leases.take(chatKey, owner, leaseMs)) return null;
    return this.backing.queue(chatKey);
  }

  async finish(chatKey: string, entryId: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]> {
    await this.backing.ack(chatKey, entryId);
    return this.release(chatKey, owner, leaseMs, now);
  }

  async update(chatKey: string, entry: StoredEntry, owner: string, leaseMs: number): Promise<void> {
    await this.backing.update(chatKey, entry);
    this.leases.take(chatKey, owner, leaseMs);
  }

  async release(chatKey: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]> {
    for (;;) {
      const q = await this.backing.queue(chatKey);
      if (q[0] && q[0].notBefore <= now) {
        this.leases.take(chatKey, owner, leaseMs);
        return q;
      }
      // A turn that committed while the queue was being read found the lease taken: read again.
      if (this.leases.missed(chatKey, owner)) continue;
      this.leases.free(chatKey, owner);
      return [];
    }
  }

  async dueChats(now: number, limit: number): Promise<string[]> {
    return (await this.backing.dueChats(now, limit * 2)).filter((c) => !this.leases.held(c)).slice(0, limit);
  }

  async deleteSnapshot(chatKey: string): Promise<void> {
    if (this.persistence) await this.persistence.delete(chatKey);
    this.memSnapshots.delete(chatKey);
  }

  private live(key: string): Entry | undefined {
    const e = this.values.get(key);
    if (e && e.expiresAt <= Date.now()) {
      this.values.delete(key);
      return undefined;
    }
    return e;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.values.set(key, { value: '1', expiresAt: Date.now() + ttlMs });
    this.sweep();
    return true;
  }

  async acquire(buckets: TokenBucket[], cost: number): Promise<number> {
    const now = Date.now();
    let wait = 0;
    const tokens = buckets.map((b) => {
      const cur = this.buckets.get(b.key);
      const t = Math.min(b.burst, (cur?.t ?? b.burst) + ((now - (cur?.ts ?? now)) * b.perSecond) / 1000);
      const need = cost - t;
      if (need > 0) wait = Math.max(wait, Math.ceil((need * 1000) / b.perSecond));
      return t;
    });
    if (wait > 0) return wait;
    buckets.forEach((b, i) => this.buckets.set(b.key, { t: tokens[i]! - cost, ts: now }));
    // Buckets untouched for a minute are full again: forget them, so the map holds active chats only.
    if (this.buckets.size > 10_000) for (const [k, v] of this.buckets) if (now - v.ts > 60_000) this.buckets.delete(k);
    return 0;
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const e = this.live(key);
    const n = e ? Number(e.value) + 1 : 1;
    this.values.set(key, { value: String(n), expiresAt: e ? e.expiresAt : Date.now() + windowMs });
    return n;
  }

  async resetHits(key: string): Promise<void> {
    this.values.delete(key);
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.values.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  async take(key: string): Promise<string | null> {
    const v = this.live(key)?.value ?? null;
    this.values.delete(key);
    return v;
  }

  async del(key: string): Promise<void> {
    this.values.delete(key);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private sweeps = 0;
  /** Drops expired values now and then so the maps do not grow without bound. */
  private sweep(): void {
    if (++this.sweeps % 1000 !== 0) return;
    const now = Date.now();
    for (const [k, e] of this.values) if (e.expiresAt <= now) this.values.delete(k);
  }
}
