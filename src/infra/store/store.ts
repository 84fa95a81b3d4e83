import type { OutboundQueues, StoredEntry } from './queue.js';

export type { OutboundQueues, StoredEntry } from './queue.js';

/** One token bucket of {@link StateStore.acquire}. */
export interface TokenBucket {
  key: string;
  perSecond: number;
  burst: number;
}

/** A conversation snapshot as stored: an opaque string and the version it was written at. */
export interface StoredSnapshot {
  version: number;
  data: string;
}

/**
 * Where conversations, locks, rate limits and de-duplication live: Redis when `REDIS_URL` is set,
 * otherwise in process (snapshots then kept in the database). Expiry *decisions* use the clock
 * port; TTLs here only collect garbage.
 */
export interface StateStore extends OutboundQueues {
  readonly kind: 'redis' | 'memory';
  /**
   * Runs `fn` as the chat's next turn. Turns of one chat run one at a time in arrival order, across
   * processes sharing the store; different chats run concurrently.
   */
  runTurn<T>(chatKey: string, fn: () => Promise<T>): Promise<T>;
  loadSnapshot(chatKey: string): Promise<StoredSnapshot | null>;
  /** Writes only if the stored version is still `expectedVersion` (0 = none); false otherwise. */
  saveSnapshot(chatKey: string, expectedVersion: number, data: string, ttlMs: number): Promise<boolean>;
  deleteSnapshot(chatKey: string): Promise<void>;
  /**
   * True the first time `key` is claimed within `ttlMs` (update de-duplication). Claims share the
   * key space of {@link get}/{@link set}/{@link del}: `del` releases a claim, a value set blocks one.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Takes `cost` tokens from every bucket at once, or from none: 0 when granted, else how many ms
   * until all of them would have enough. A bucket refills at `perSecond` up to `burst`. Shared by
   * every process on the store (rate limits of the bot as a whole).
   */
  acquire(buckets: TokenBucket[], cost: number): Promise<number>;
  /** Counts one hit in a fixed window and returns the count in that window (rate limits). */
  hit(key: string, windowMs: number): Promise<number>;
  /** Resets a counter (e.g. after a success). */
  resetHits(key: string): Promise<void>;
  /** Small values with an expiry (CAPTCHA answers, tokens). */
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Reads and deletes in one step (single-use values). */
  take(key: string): Promise<string | null>;
  del(key: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Keeps snapshots and outbound queues somewhere durable for the in-process store (the database). */
export interface SnapshotPersistence {
  load(chatKey: string): Promise<StoredSnapshot | null>;
  /** Compare-and-set of the snapshot and, in the same transaction, the turn's queue entries. */
  save(chatKey: string, expectedVersion: number, data: string, expiresAt: Date, entries?: StoredEntry[]): Promise<boolean>;
  delete(chatKey: string): Promise<void>;
  /** Appends entries (ids already queued are skipped). */
  enqueue(chatKey: string, entries: StoredEntry[]): Promise<void>;
  /** A chat's queue, in order. */
  queue(chatKey: string): Promise<StoredEntry[]>;
  ack(chatKey: string, entryId: string): Promise<void>;
  update(chatKey: string, entry: StoredEntry): Promise<void>;
  /** Chats with an entry due by `now`. */
  dueChats(now: number, limit: number): Promise<string[]>;
}
