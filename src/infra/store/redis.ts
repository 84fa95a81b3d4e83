import { createClient } from 'redis';
import type { StoredEntry } from './queue.js';
import { RedisQueues } from './redis-queues.js';
import type { StateStore, StoredSnapshot, TokenBucket } from './store.js';

/** Raised when Redis cannot be reached at start (fail fast instead of retrying forever). */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE.UNAVAILABLE';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Client = any;

/** How long a turn ticket lives without a heartbeat before waiters skip it (holder crashed). */
const TICKET_LEASE_MS = 15_000;
/** Garbage collection of idle queue keys. */
const QUEUE_TTL_MS = 24 * 3600_000;

// Take a ticket: the next number in the chat's queue, with a lease the holder keeps alive.
const TAKE_TICKET = `
local t = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[3] .. t, '1', 'PX', ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SET', KEYS[2], t, 'PX', ARGV[2]) end
return t`;

// Is it ticket ARGV[1]'s turn? Skips tickets whose lease expired (their process died).
const TRY_TURN = `
local me = tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
while cur < me and redis.call('EXISTS', KEYS[2] .. cur) == 0 do cur = cur + 1 end
redis.call('SET', KEYS[1], cur, 'PX', ARGV[2])
if cur == me then return 1 end
if cur > me then return 2 end
return 0`;

// End ticket ARGV[1]'s turn: the next ticket may go.
const END_TURN = `
redis.call('DEL', KEYS[2] .. ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur == tonumber(ARGV[1]) then redis.call('SET', KEYS[1], cur + 1, 'PX', ARGV[2]) end
return 1`;

// Compare-and-set of a snapshot by version.
const SAVE_SNAPSHOT = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', v + 1, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// Token buckets (hash t = tokens, ts = ms of the last refill), on Redis's own clock so processes agree.
// KEYS: buckets. ARGV: cost, then perSecond and burst for each bucket. Returns 0 or ms to wait.
const ACQUIRE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local cost = tonumber(ARGV[1])
local tokens = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 + (i - 1) * 2])
  local burst = tonumber(ARGV[3 + (i - 1) * 2])
  local h = redis.call('HMGET', key, 't', 'ts')
  local t = tonumber(h[1]) or burst
  local ts = tonumber(h[2]) or ms
  t = math.min(burst, t + (ms - ts) * rate / 1000)
  tokens[i] = t
  local need = cost - t
  if need > 0 then wait = math.max(wait, math.ceil(need * 1000 / rate)) end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 + (i - 1) * 2])
  local burst = tonumber(ARGV[3 + (i - 1) * 2])
  redis.call('HSET', key, 't', tokens[i] - cost, 'ts', ms)
  redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
end
return 0`;

const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

const TAKE = `
local v = redis.call('GET', KEYS[1])
if v then redis.call('DEL', KEYS[1]) end
return v`;

/** The Redis store (Redis 7 commands only). Every key starts with `prefix`. */
export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly local = new Map<string, Promise<unknown>>();
  private readonly leases = new Map<string, string>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly queues: RedisQueues;

  private constructor(
    private readonly client: Client,
    /** Every key starts with it (tests give each store its own). */
    readonly prefix: string,
  ) {
    this.queues = new RedisQueues((script, keys, args) => this.eval(script, keys, args), (s) => this.k(s));
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

  private eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.client.eval(script, { keys, arguments: args.map(String) });
  }

  async runTurn<T>(chatKey: string, fn: () => Promise<T>): Promise<T> {
    const q = this.k(`q:${chatKey}:`);
    // The ticket is taken on arrival, so arrival order holds across processes.
    const ticket = Number(await this.eval(TAKE_TICKET, [q + 'next', q + 'cur', q + 'lease:'], [TICKET_LEASE_MS, QUEUE_TTL_MS]));
    const leaseKey = `${q}lease:${ticket}`;
    this.leases.set(leaseKey, leaseKey);
    // Within this process, wait for the chat's earlier turns first, so only one of ours polls Redis.
    const prev = this.local.get(chatKey) ?? Promise.resolve();
    const run = prev.then(
      () => this.turn(q, ticket, leaseKey, fn),
      () => this.turn(q, ticket, leaseKey, fn),
    );
    const tail = run.catch(() => undefined);
    this.local.set(chatKey, tail);
    void tail.then(() => {
      if (this.local.get(chatKey) === tail) this.local.delete(chatKey);
    });
    return run;
  }

  private async turn<T>(q: string, ticket: number, leaseKey: string, fn: () => Promise<T>): Promise<T> {
    let delay = 2;
    for (;;) {
      const r = Number(await this.eval(TRY_TURN, [q + 'cur', q + 'lease:'], [ticket, QUEUE_TTL_MS]));
      if (r === 1) break;
      if (r === 2) {
        // Our lease lapsed (this process stalled) and the queue moved on: queue again at the end.
        this.leases.delete(leaseKey);
        ticket = Number(await this.eval(TAKE_TICKET, [q + 'next', q + 'cur', q + 'lease:'], [TICKET_LEASE_MS, QUEUE_TTL_MS]));
        leaseKey = `${q}lease:${ticket}`;
        this.leases.set(leaseKey, leaseKey);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    try {
      return await fn();
    } finally {
      this.leases.delete(leaseKey);
      await this.eval(END_TURN, [q + 'cur', q + 'lease:'], [ticket, QUEUE_TTL_MS]).catch(() => undefined);
    }
  }

  private async renewLeases(): Promise<void> {
    for (const key of this.leases.keys()) await this.client.pExpire(key, TICKET_LEASE_MS).catch(() => undefined);
  }

  async loadSnapshot(chatKey: string): Promise<StoredSnapshot | null> {
    const h = await this.client.hGetAll(this.k(`snap:${chatKey}`));
    if (!h || h.v === undefined || h.d === undefined) return null;
    return { version: Number(h.v), data: h.d };
  }

  async saveSnapshot(chatKey: string, expectedVersion: number, data: string, ttlMs: number): Promise<boolean> {
    return Number(await this.eval(SAVE_SNAPSHOT, [this.k(`snap:${chatKey}`)], [expectedVersion, data, Math.max(1, Math.round(ttlMs))])) === 1;
  }

  commitTurn(chatKey: string, expectedVersion: number, data: string, ttlMs: number, entries: StoredEntry[]): Promise<boolean> {
    return this.queues.commitTurn(chatKey, expectedVersion, data, ttlMs, entries);
  }

  enqueue(chatKey: string, entries: StoredEntry[]): Promise<void> {
    return this.queues.enqueue(chatKey, entries);
  }

  claim(chatKey: string, owner: string, leaseMs: number): Promise<StoredEntry[] | null> {
    return this.queues.claim(chatKey, owner, leaseMs);
  }

  ack(chatKey: string, entryId: string, owner: string, leaseMs: number): Promise<void> {
    return this.queues.ack(chatKey, entryId, owner, leaseMs);
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
    return (await this.client.set(this.k(`once:${key}`), '1', { NX: true, PX: ttlMs })) === 'OK';
  }

  async acquire(buckets: TokenBucket[], cost: number): Promise<number> {
    const args: (string | number)[] = [cost];
    for (const b of buckets) args.push(b.perSecond, b.burst);
    return Number(await this.eval(ACQUIRE, buckets.map((b) => this.k(`tb:${b.key}`)), args));
  }

  async hit(key: string, windowMs: number): Promise<number> {
    return Number(await this.eval(HIT, [this.k(`hit:${key}`)], [windowMs]));
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
    return (await this.eval(TAKE, [this.k(`kv:${key}`)], [])) as string | null;
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
