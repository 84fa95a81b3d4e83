/** One entry of a chat's outbound queue as the store keeps it: opaque data the engine encodes. */
export interface StoredEntry {
  id: string;
  data: string;
  /** Not to be tried before this time (ms since the epoch). */
  notBefore: number;
}

/**
 * The store's side of the outbound queues: one ordered queue per chat, appended atomically with the
 * turn's snapshot, delivered by one process at a time (a lease per chat), entries removed only once
 * delivered. Redis keeps them across processes; the in-process store keeps them in its
 * persistence (the database) so a restart loses nothing.
 */
export interface OutboundQueues {
  /**
   * Saves a turn: the snapshot (compare-and-set on its version, like `saveSnapshot`) and, in the
   * same step, `entries` at the end of the chat's queue. Nothing is written when the version moved.
   */
  commitTurn(chatKey: string, expectedVersion: number, data: string, ttlMs: number, entries: StoredEntry[]): Promise<boolean>;
  /** Appends entries to a chat's queue; an entry whose id is queued already is not added again. */
  enqueue(chatKey: string, entries: StoredEntry[]): Promise<void>;
  /**
   * Takes the chat's delivery lease for `owner` (for `leaseMs`) and returns its queue in order, or
   * null when another deliverer holds the lease.
   */
  claim(chatKey: string, owner: string, leaseMs: number): Promise<StoredEntry[] | null>;
  /** Removes a delivered (or given-up) entry and renews `owner`'s lease. */
  ack(chatKey: string, entryId: string, owner: string, leaseMs: number): Promise<void>;
  /** Replaces an entry (attempts, next try, items done) and renews `owner`'s lease. */
  update(chatKey: string, entry: StoredEntry, owner: string, leaseMs: number): Promise<void>;
  /**
   * Releases `owner`'s lease, unless entries that may go now remain (they arrived during delivery):
   * then the lease stays and they are returned for the caller to deliver, so nothing waits for the
   * sweep. Entries that wait (`notBefore` later) stay queued for {@link dueChats}.
   */
  release(chatKey: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]>;
  /** Chats with an entry due by `now` whose lease is free (a dead deliverer, a retry that came due). */
  dueChats(now: number, limit: number): Promise<string[]>;
}
