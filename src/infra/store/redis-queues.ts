import type { OutboundQueues, StoredEntry } from './queue.js';

/** Queue keys expire after this long without activity (garbage collection only). */
const QUEUE_TTL_MS = 7 * 24 * 3600_000;

// Appends entries (ARGV[first..first+n-1] as JSON, ids after them) unless their id is queued; marks the chat due.
const APPEND = `
local function append(q, ids, due, chat, n, first, now)
  local added = 0
  for i = 0, n - 1 do
    if redis.call('SADD', ids, ARGV[first + n + i]) == 1 then
      redis.call('RPUSH', q, ARGV[first + i])
      added = added + 1
    end
  end
  if added > 0 then
    redis.call('PEXPIRE', q, ${QUEUE_TTL_MS})
    redis.call('PEXPIRE', ids, ${QUEUE_TTL_MS})
    redis.call('ZADD', due, 'NX', now, chat)
  end
end
`;

// KEYS: snapshot, queue, ids, due. ARGV: expected version, data, ttl, chat, now, n, entries…, ids…
const COMMIT = `${APPEND}
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', v + 1, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
append(KEYS[2], KEYS[3], KEYS[4], ARGV[4], tonumber(ARGV[6]), 7, ARGV[5])
return 1`;

// KEYS: queue, ids, due. ARGV: chat, now, n, entries…, ids…
const ENQUEUE = `${APPEND}
append(KEYS[1], KEYS[2], KEYS[3], ARGV[1], tonumber(ARGV[3]), 4, ARGV[2])
return 1`;

// KEYS: lease, queue. ARGV: owner, lease ms. Refused: 0; else the queue (maybe empty).
const CLAIM = `
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('LRANGE', KEYS[2], 0, -1)`;

// Finds the entry with id ARGV[1] in list KEYS[1]: its index and raw value.
const FIND = `
local function find(q, id)
  local all = redis.call('LRANGE', q, 0, -1)
  for i, raw in ipairs(all) do
    if cjson.decode(raw).id == id then return i - 1, raw end
  end
  return nil, nil
end
local function renew(lease, owner, ms)
  if redis.call('GET', lease) == owner then redis.call('PEXPIRE', lease, ms) end
end
`;

// KEYS: queue, ids, lease. ARGV: id, owner, lease ms.
const ACK = `${FIND}
local i, raw = find(KEYS[1], ARGV[1])
if raw then redis.call('LREM', KEYS[1], 1, raw) end
redis.call('SREM', KEYS[2], ARGV[1])
renew(KEYS[3], ARGV[2], ARGV[3])
return 1`;

// KEYS: queue, lease. ARGV: id, new raw, owner, lease ms.
const UPDATE = `${FIND}
local i, raw = find(KEYS[1], ARGV[1])
if i then redis.call('LSET', KEYS[1], i, ARGV[2]) end
renew(KEYS[2], ARGV[3], ARGV[4])
return 1`;

// KEYS: lease, queue, due. ARGV: owner, lease ms, now, chat. Entries due now keep the lease and come back.
const RELEASE = `
local head = redis.call('LINDEX', KEYS[2], 0)
if head then
  local nb = tonumber(cjson.decode(head).nb)
  if nb <= tonumber(ARGV[3]) then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return redis.call('LRANGE', KEYS[2], 0, -1)
  end
  redis.call('ZADD', KEYS[3], nb, ARGV[4])
else
  redis.call('ZREM', KEYS[3], ARGV[4])
end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return {}`;

// KEYS: due. ARGV: now, limit, lease key prefix.
const DUE = `
local out = {}
local chats = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]) * 4)
for _, chat in ipairs(chats) do
  if redis.call('EXISTS', ARGV[3] .. chat) == 0 then
    table.insert(out, chat)
    if #out >= tonumber(ARGV[2]) then break end
  end
end
return out`;

type Eval = (script: string, keys: string[], args: (string | number)[]) => Promise<unknown>;

const raw = (e: StoredEntry) => JSON.stringify({ id: e.id, nb: e.notBefore, d: e.data });
const parse = (s: string): StoredEntry => {
  const o = JSON.parse(s) as { id: string; nb: number; d: string };
  return { id: o.id, notBefore: o.nb, data: o.d };
};

/** The outbound queues in Redis: a list per chat, a lease per chat, one sorted set of due chats. */
export class RedisQueues implements OutboundQueues {
  constructor(private readonly run: Eval, private readonly k: (s: string) => string) {}

  private keys(chatKey: string) {
    return { snap: this.k(`snap:${chatKey}`), q: this.k(`oq:${chatKey}`), ids: this.k(`oqids:${chatKey}`), lease: this.k(`ol:${chatKey}`), due: this.k('odue') };
  }

  async commitTurn(chatKey: string, expectedVersion: number, data: string, ttlMs: number, entries: StoredEntry[]): Promise<boolean> {
    const k = this.keys(chatKey);
    const now = entries.length ? Math.min(...entries.map((e) => e.notBefore)) : Date.now();
    const r = await this.run(COMMIT, [k.snap, k.q, k.ids, k.due], [expectedVersion, data, Math.max(1, Math.round(ttlMs)), chatKey, now, entries.length, ...entries.map(raw), ...entries.map((e) => e.id)]);
    return Number(r) === 1;
  }

  async enqueue(chatKey: string, entries: StoredEntry[]): Promise<void> {
    if (!entries.length) return;
    const k = this.keys(chatKey);
    await this.run(ENQUEUE, [k.q, k.ids, k.due], [chatKey, Math.min(...entries.map((e) => e.notBefore)), entries.length, ...entries.map(raw), ...entries.map((e) => e.id)]);
  }

  async claim(chatKey: string, owner: string, leaseMs: number): Promise<StoredEntry[] | null> {
    const k = this.keys(chatKey);
    const r = await this.run(CLAIM, [k.lease, k.q], [owner, leaseMs]);
    return Array.isArray(r) ? (r as string[]).map(parse) : null;
  }

  async ack(chatKey: string, entryId: string, owner: string, leaseMs: number): Promise<void> {
    const k = this.keys(chatKey);
    await this.run(ACK, [k.q, k.ids, k.lease], [entryId, owner, leaseMs]);
  }

  async update(chatKey: string, entry: StoredEntry, owner: string, leaseMs: number): Promise<void> {
    const k = this.keys(chatKey);
    await this.run(UPDATE, [k.q, k.lease], [entry.id, raw(entry), owner, leaseMs]);
  }

  async release(chatKey: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]> {
    const k = this.keys(chatKey);
    return ((await this.run(RELEASE, [k.lease, k.q, k.due], [owner, leaseMs, now, chatKey])) as string[]).map(parse);
  }

  async dueChats(now: number, limit: number): Promise<string[]> {
    return (await this.run(DUE, [this.k('odue')], [now, limit, this.k('ol:')])) as string[];
  }
}
