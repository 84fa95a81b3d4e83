/** One entry of a chat's outbound queue as the store keeps it: opaque data the engine encodes. */
export interface StoredEntry {
  id: string;
  data: string;
  /** Not to be tried before this time (ms since the epoch). */
  notBefore: number;
}

/** Claiming the chat's delivery lease in the same step as a commit, and paying for its first messages. */
export interface ClaimRequest {
  owner: string;
  leaseMs: number;
  /** Rate-limit tokens to take for the messages about to be sent (none taken unless all are there). */
  buckets?: { key: string; perSecond: number; burst: number }[];
  cost?: number;
}

/** What a commit did: saved or not; when claimed, the queue to deliver and whether the tokens were taken. */
export interface CommitResult {
  ok: boolean;
  claimed?: StoredEntry[];
  tokens?: boolean;
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
   * Inside `runTurn` it also ends the chat's turn. With `claim`, and entries queued, it takes the
   * delivery lease for the caller when free (returning the queue) and the rate-limit tokens asked for.
   */
  commitTurn(chatKey: string, expectedVersion: number, data: string, ttlMs: number, entries: StoredEntry[], claim?: ClaimRequest): Promise<CommitResult>;
  /** Appends entries to a chat's queue; an entry whose id is queued already is not added again. */
  enqueue(chatKey: string, entries: StoredEntry[]): Promise<void>;
  /**
   * Takes the chat's delivery lease for `owner` (for `leaseMs`) and returns its queue in order, or
   * null when another deliverer holds the lease.
   */
  claim(chatKey: string, owner: string, leaseMs: number): Promise<StoredEntry[] | null>;
  /**
   * Removes a delivered (or given-up) entry, then releases `owner`'s lease unless another entry may
   * go now — that queue is returned (lease kept) for the caller to deliver; else [] (lease freed).
   */
  finish(chatKey: string, entryId: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]>;
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
