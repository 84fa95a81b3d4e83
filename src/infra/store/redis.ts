import { AsyncLocalStorage } from 'node:async_hooks';
import { createClient } from 'redis';
import type { ClaimRequest, CommitResult, StoredEntry } from './queue.js';
import { QUEUE_TTL_MS, SCRIPTS, TICKET_LEASE_MS, type Script } from './redis-lua.js';
import { RedisQueues, type TurnTicket } from './redis-queues.js';
import type { StateStore, StoredSnapshot, TokenBucket } from './store.js';

/** Raised when Redis cannot be reached at start (fail fast instead of retrying forever). */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE.UNAVAILABLE';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Client = any;

/** The chat turn this async context is inside: its ticket, and the snapshot read when it began. */
interface TurnContext extends TurnTicket {
  chatKey: string;
  preloaded?: StoredSnapshot | null;
}

/**
 * The Redis store (Redis 7 commands only). Every key starts with `prefix`. A turn costs few round
 * trips: taking the chat's turn reads its snapshot in the same script, and the commit saves the
 * snapshot, queues the replies, ends the turn and claims their delivery in one more.
 */
export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly local = new Map<string, Promise<unknown>>();
  private readonly leases = new Map<string, string>();
  private readonly turns = new AsyncLocalStorage<TurnContext>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly queues: RedisQueues;
  /** Round trips made so far (the benchmark reads it). */
  roundTrips = 0;

  private constructor(
    private readonly client: Client,
    /** Every key starts with it (tests give each store its own). */
    readonly prefix: string,
  ) {
    this.queues = new RedisQueues((script, keys, args) => this.run(script, keys, args), (s) => this.k(s));
    this.heartbeat = setInterval(() => void this.renewLeases(), TICKET_LEASE_MS / 3);
    this.heartbeat.unref();
  }

  /** Connects, failing fast with {@link StoreUnavailableError} if Redis does not answer. */
  static async connect(url: string, prefix = 'omnipay:'): Promise<RedisStore> {
    let connected = false;
    const client = createClient({
      url,
      socket: {
        connectTimeout: 3000,
        reconnectStrategy: (retries: number) => (connected ? Math.min(retries * 100, 2000) : new StoreUnavailableError(`REDIS_URL: cannot connect to Redis`)),
      },
    });
    client.on('error', () => {
      // Reported through failing commands; reconnects run in the background after the first connect.
    });
    try {
      await client.connect();
      connected = true;
    } catch (err) {
      throw new StoreUnavailableError(`REDIS_URL: cannot connect to Redis (${(err as Error).message})`);
    }
    return new RedisStore(client, prefix);
  }

  private k(s: string): string {
    return this.prefix + s;
  }

  /** Runs a script by its SHA; the first call on a server that does not know it sends it. */
  private async run(script: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    this.roundTrips++;
    const options = { keys, arguments: args.map(String) };
    try {
      return await this.client.evalSha(script.sha, options);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      this.roundTrips++;
      return this.client.eval(script.text, options);
    }
  }

  async runTurn<T>(chatKey: string, fn: () => Promise<T>): Promise<T> {
    const q = this.k(`q:${chatKey}:`);
    // Within this process, the chat's earlier turns go first, so only one of ours polls Redis.
    const prev = this.local.get(chatKey);
    // The ticket is taken on arrival, so arrival order holds across processes; with nothing ahead
    // of it here, the same script finds whether it may go and reads the snapshot.
    const begun = (await this.run(prev ? SCRIPTS.takeTicket : SCRIPTS.begin, [q + 'next', q + 'cur', q + 'lease:', this.k(`snap:${chatKey}`)], [TICKET_LEASE_MS, QUEUE_TTL_MS])) as number | unknown[];
    const ctx: TurnContext = { chatKey, q, ticket: Number(Array.isArray(begun) ? begun[0] : begun), ended: false };
    if (Array.isArray(begun) && Number(begun[1]) === 1) ctx.preloaded = snapshotOf(begun[2], begun[3]);
    this.leases.set(`${q}lease:${ctx.ticket}`, '');
    const go = () => this.turn(ctx, fn);
    const run = (prev ?? Promise.resolve()).then(go, go);
    const tail = run.catch(() => undefined);
    this.local.set(chatKey, tail);
    void tail.then(() => {
      if (this.local.get(chatKey) === tail) this.local.delete(chatKey);
    });
    return run;
  }

  private async turn<T>(ctx: TurnContext, fn: () => Promise<T>): Promise<T> {
    let delay = 2;
    while (ctx.preloaded === undefined) {
      const r = (await this.run(SCRIPTS.tryLoad, [ctx.q + 'cur', ctx.q + 'lease:', this.k(`snap:${ctx.chatKey}`)], [ctx.ticket, QUEUE_TTL_MS])) as unknown[];
      if (Number(r[0]) === 1) {
        ctx.preloaded = snapshotOf(r[1], r[2]);
        break;
      }
      if (Number(r[0]) === 2) {
        // Our lease lapsed (this process stalled) and the queue moved on: queue again at the end.
        this.leases.delete(`${ctx.q}lease:${ctx.ticket}`);
        ctx.ticket = Number(await this.run(SCRIPTS.takeTicket, [ctx.q + 'next', ctx.q + 'cur', ctx.q + 'lease:'], [TICKET_LEASE_MS, QUEUE_TTL_MS]));
        this.leases.set(`${ctx.q}lease:${ctx.ticket}`, '');
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    try {
      return await this.turns.run(ctx, fn);
    } finally {
      this.leases.delete(`${ctx.q}lease:${ctx.ticket}`);
      if (!ctx.ended) await this.run(SCRIPTS.endTurn, [ctx.q + 'cur', ctx.q + 'lease:'], [ctx.ticket, QUEUE_TTL_MS]).catch(() => undefined);
    }
  }

  private async renewLeases(): Promise<void> {
    for (const key of this.leases.keys()) await this.client.pExpire(key, TICKET_LEASE_MS).catch(() => undefined);
  }

  /** The turn of `chatKey` this call is inside, if any. */
  private current(chatKey: string): TurnContext | undefined {
    const ctx = this.turns.getStore();
    return ctx?.chatKey === chatKey ? ctx : undefined;
  }

  async loadSnapshot(chatKey: string): Promise<StoredSnapshot | null> {
    const ctx = this.current(chatKey);
    if (ctx && ctx.preloaded !== undefined) {
      // Read when the turn began; nobody else may write it during the turn.
      const s = ctx.preloaded;
      delete ctx.preloaded;
      return s;
    }
    this.roundTrips++;
    const h = await this.client.hGetAll(this.k(`snap:${chatKey}`));
    return snapshotOf(h?.v, h?.d);
  }

  async saveSnapshot(chatKey: string, expectedVersion: number, data: string, ttlMs: number): Promise<boolean> {
    return Number(await this.run(SCRIPTS.save, [this.k(`snap:${chatKey}`)], [expectedVersion, data, Math.max(1, Math.round(ttlMs))])) === 1;
  }

  commitTurn(chatKey: string, expectedVersion: number, data: string, ttlMs: number, entries: StoredEntry[], claim?: ClaimRequest): Promise<CommitResult> {
    return this.queues.commit(chatKey, expectedVersion, data, ttlMs, entries, claim, this.current(chatKey));
  }

  enqueue(chatKey: string, entries: StoredEntry[]): Promise<void> {
    return this.queues.enqueue(chatKey, entries);
  }

  claim(chatKey: string, owner: string, leaseMs: number): Promise<StoredEntry[] | null> {
    return this.queues.claim(chatKey, owner, leaseMs);
  }

  finish(chatKey: string, entryId: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]> {
    return this.queues.finish(chatKey, entryId, owner, leaseMs, now);
  }

  update(chatKey: string, entry: StoredEntry, owner: string, leaseMs: number): Promise<void> {
    return this.queues.update(chatKey, entry, owner, leaseMs);
  }

  release(chatKey: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]> {
    return this.queues.release(chatKey, owner, leaseMs, now);
  }

  dueChats(now: number, limit: number): Promise<string[]> {
    return this.queues.dueChats(now, limit);
  }

  async deleteSnapshot(chatKey: string): Promise<void> {
    await this.client.del(this.k(`snap:${chatKey}`));
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    // The same key space as get/set/del (as in the memory store), so `del` releases a claim.
    return (await this.client.set(this.k(`kv:${key}`), '1', { NX: true, PX: ttlMs })) === 'OK';
  }

  async acquire(buckets: TokenBucket[], cost: number): Promise<number> {
    return Number(await this.run(SCRIPTS.acquire, buckets.map((b) => this.k(`tb:${b.key}`)), [cost, ...buckets.flatMap((b) => [b.perSecond, b.burst])]));
  }

  async hit(key: string, windowMs: number): Promise<number> {
    return Number(await this.run(SCRIPTS.hit, [this.k(`hit:${key}`)], [windowMs]));
  }

  async resetHits(key: string): Promise<void> {
    await this.client.del(this.k(`hit:${key}`));
  }

  async get(key: string): Promise<string | null> {
    return (await this.client.get(this.k(`kv:${key}`))) as string | null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.k(`kv:${key}`), value, { PX: Math.max(1, Math.round(ttlMs)) });
  }

  async take(key: string): Promise<string | null> {
    return (await this.run(SCRIPTS.take, [this.k(`kv:${key}`)], [])) as string | null;
  }

  async del(key: string): Promise<void> {
    await this.client.del(this.k(`kv:${key}`));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await Promise.all([...this.local.values()]);
    await this.client.quit().catch(() => undefined);
  }
}

/** A stored snapshot from its hash fields, or null when there is none. */
function snapshotOf(v: unknown, d: unknown): StoredSnapshot | null {
  if (v === undefined || v === null || v === false || d === undefined || d === null || d === false) return null;
  return { version: Number(v), data: String(d) };
}
