import { createHash } from 'node:crypto';

/** A Lua script sent once and then run by its SHA (EVALSHA), so a call carries only keys and arguments. */
export class Script {
  readonly sha: string;
  constructor(readonly text: string) {
    this.sha = createHash('sha1').update(text).digest('hex');
  }
}

/** How long a turn ticket lives without a heartbeat before waiters skip it (holder crashed). */
export const TICKET_LEASE_MS = 15_000;
/** Garbage collection of idle keys of a chat's turn queue and outbound queue. */
export const QUEUE_TTL_MS = 24 * 3600_000;
/** Garbage collection of idle outbound queue keys. */
export const OUTBOUND_TTL_MS = 7 * 24 * 3600_000;

/** Lua functions the scripts below are built from (each script carries the ones it needs). */
const LIB = {
  // The next ticket of a chat's turn queue, with a lease its holder keeps alive.
  takeTicket: `
local function take_ticket(nextk, curk, lease, lease_ms, qttl)
  local t = redis.call('INCR', nextk)
  redis.call('PEXPIRE', nextk, qttl)
  redis.call('SET', lease .. t, '1', 'PX', lease_ms)
  if redis.call('EXISTS', curk) == 0 then redis.call('SET', curk, t, 'PX', qttl) end
  return t
end`,
  // Is it ticket me's turn (1), not yet (0), or did the queue move past it (2)? Skips dead holders.
  tryTurn: `
local function try_turn(curk, lease, me, qttl)
  local cur = tonumber(redis.call('GET', curk) or me)
  while cur < me and redis.call('EXISTS', lease .. cur) == 0 do cur = cur + 1 end
  redis.call('SET', curk, cur, 'PX', qttl)
  if cur == me then return 1 end
  if cur > me then return 2 end
  return 0
end`,
  endTurn: `
local function end_turn(curk, lease, ticket, qttl)
  redis.call('DEL', lease .. ticket)
  local cur = tonumber(redis.call('GET', curk) or '0')
  if cur == tonumber(ticket) then redis.call('SET', curk, cur + 1, 'PX', qttl) end
end`,
  cas: `
local function cas(snap, expected, data, ttl)
  local v = tonumber(redis.call('HGET', snap, 'v') or '0')
  if v ~= tonumber(expected) then return false end
  redis.call('HSET', snap, 'v', v + 1, 'd', data)
  redis.call('PEXPIRE', snap, ttl)
  return true
end`,
  // Appends entries (ARGV[first..first+n-1] as JSON, their ids after them) unless queued; marks the chat due.
  append: `
local function append(q, ids, due, chat, n, first, now)
  local added = 0
  for i = 0, n - 1 do
    if redis.call('SADD', ids, ARGV[first + n + i]) == 1 then
      redis.call('RPUSH', q, ARGV[first + i])
      added = added + 1
    end
  end
  if added > 0 then
    redis.call('PEXPIRE', q, ${OUTBOUND_TTL_MS})
    redis.call('PEXPIRE', ids, ${OUTBOUND_TTL_MS})
    redis.call('ZADD', due, 'NX', now, chat)
  end
end`,
  // The delivery lease for owner: nil when someone else holds it, else the queue.
  claim: `
local function claim(lease, q, owner, lease_ms)
  local cur = redis.call('GET', lease)
  if cur and cur ~= owner then return nil end
  redis.call('SET', lease, owner, 'PX', lease_ms)
  return redis.call('LRANGE', q, 0, -1)
end`,
  // Token buckets (hash t = tokens, ts = ms of the last refill) on Redis's clock: 0 when granted, else ms to wait.
  // Bucket i's key is keys[i]; its rate and burst are params[2i-1], params[2i].
  acquire: `
local function acquire(keys, params, cost)
  local now = redis.call('TIME')
  local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  local tokens = {}
  local wait = 0
  for i, key in ipairs(keys) do
    local rate = tonumber(params[2 * i - 1])
    local burst = tonumber(params[2 * i])
    local h = redis.call('HMGET', key, 't', 'ts')
    local t = tonumber(h[1]) or burst
    local ts = tonumber(h[2]) or ms
    t = math.min(burst, t + (ms - ts) * rate / 1000)
    tokens[i] = t
    local need = cost - t
    if need > 0 then wait = math.max(wait, math.ceil(need * 1000 / rate)) end
  end
  if wait > 0 then return wait end
  for i, key in ipairs(keys) do
    local rate = tonumber(params[2 * i - 1])
    local burst = tonumber(params[2 * i])
    redis.call('HSET', key, 't', tokens[i] - cost, 'ts', ms)
    redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
  end
  return 0
end`,
  find: `
local function find(q, id)
  local all = redis.call('LRANGE', q, 0, -1)
  for i, raw in ipairs(all) do
    if cjson.decode(raw).id == id then return i - 1, raw end
  end
  return nil, nil
end
local function renew(lease, owner, ms)
  if redis.call('GET', lease) == owner then redis.call('PEXPIRE', lease, ms) end
end`,
  // Frees owner's lease unless an entry may go now: then the lease stays and the queue is returned.
  release: `
local function release(lease, q, due, owner, lease_ms, now, chat)
  local head = redis.call('LINDEX', q, 0)
  if head then
    local nb = tonumber(cjson.decode(head).nb)
    if nb <= tonumber(now) then
      redis.call('SET', lease, owner, 'PX', lease_ms)
      return redis.call('LRANGE', q, 0, -1)
    end
    redis.call('ZADD', due, nb, chat)
  else
    redis.call('ZREM', due, chat)
  end
  if redis.call('GET', lease) == owner then redis.call('DEL', lease) end
  return {}
end`,
};

const script = (libs: (keyof typeof LIB)[], body: string) => new Script(`${libs.map((l) => LIB[l]).join('\n')}\n${body}`);

/** The scripts of the Redis store. KEYS and ARGV are documented above each. */
export const SCRIPTS = {
  // KEYS: next, cur, ticket lease prefix, snapshot. ARGV: lease ms, queue ttl. → {ticket, ready, version, data}
  begin: script(['takeTicket', 'tryTurn'], `
local t = take_ticket(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
if try_turn(KEYS[2], KEYS[3], t, ARGV[2]) ~= 1 then return {t, 0} end
local h = redis.call('HMGET', KEYS[4], 'v', 'd')
return {t, 1, h[1] or false, h[2] or false}`),
  // KEYS: next, cur, ticket lease prefix. ARGV: lease ms, queue ttl. → ticket
  takeTicket: script(['takeTicket'], `return take_ticket(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])`),
  // KEYS: cur, ticket lease prefix, snapshot. ARGV: ticket, queue ttl. → {1, version, data} | {0} | {2}
  tryLoad: script(['tryTurn'], `
local r = try_turn(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[2])
if r ~= 1 then return {r} end
local h = redis.call('HMGET', KEYS[3], 'v', 'd')
return {1, h[1] or false, h[2] or false}`),
  // KEYS: cur, ticket lease prefix. ARGV: ticket, queue ttl.
  endTurn: script(['endTurn'], `end_turn(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
return 1`),
  // KEYS: snapshot. ARGV: expected version, data, ttl.
  save: script(['cas'], `if cas(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then return 1 end
return 0`),
  /**
   * A turn's commit in one step: snapshot CAS, its entries queued, the turn ended (ticket > 0), and,
   * when an owner is given and entries were queued, the delivery lease claimed and `cost` tokens taken.
   * KEYS: snapshot, queue, ids, due, cur, ticket lease prefix, delivery lease, bucket keys…
   * ARGV: expected, data, ttl, chat, now, ticket, queue ttl, owner, delivery lease ms, n, cost, entries…, ids…, bucket params…
   * → {0} (version moved) | {1, -1} (not claimed) | {1, granted 0/1, queue…}
   */
  commit: script(['endTurn', 'cas', 'append', 'claim', 'acquire'], `
local ticket = tonumber(ARGV[6])
if not cas(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then
  if ticket > 0 then end_turn(KEYS[5], KEYS[6], ticket, ARGV[7]) end
  return {0}
end
local n = tonumber(ARGV[10])
append(KEYS[2], KEYS[3], KEYS[4], ARGV[4], n, 12, ARGV[5])
if ticket > 0 then end_turn(KEYS[5], KEYS[6], ticket, ARGV[7]) end
if ARGV[8] == '' or n == 0 then return {1, -1} end
local q = claim(KEYS[7], KEYS[2], ARGV[8], ARGV[9])
if not q then return {1, -1} end
local granted = 0
local bkeys = {}
for i = 8, #KEYS do table.insert(bkeys, KEYS[i]) end
if #bkeys > 0 then
  local params = {}
  for i = 12 + 2 * n, #ARGV do table.insert(params, ARGV[i]) end
  if acquire(bkeys, params, tonumber(ARGV[11])) == 0 then granted = 1 end
end
local out = {1, granted}
for _, e in ipairs(q) do table.insert(out, e) end
return out`),
  // KEYS: queue, ids, due. ARGV: chat, now, n, entries…, ids…
  enqueue: script(['append'], `append(KEYS[1], KEYS[2], KEYS[3], ARGV[1], tonumber(ARGV[3]), 4, ARGV[2])
return 1`),
  // KEYS: delivery lease, queue. ARGV: owner, lease ms. → 0 (held by another) | the queue
  claim: script(['claim'], `
local q = claim(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
if not q then return 0 end
return q`),
  // KEYS: queue, ids, delivery lease, due. ARGV: id, owner, lease ms, now, chat. Ack, then release unless more is due.
  finish: script(['find', 'release'], `
local i, raw = find(KEYS[1], ARGV[1])
if raw then redis.call('LREM', KEYS[1], 1, raw) end
redis.call('SREM', KEYS[2], ARGV[1])
return release(KEYS[3], KEYS[1], KEYS[4], ARGV[2], ARGV[3], ARGV[4], ARGV[5])`),
  // KEYS: queue, delivery lease. ARGV: id, new raw, owner, lease ms.
  update: script(['find'], `
local i, raw = find(KEYS[1], ARGV[1])
if i then redis.call('LSET', KEYS[1], i, ARGV[2]) end
renew(KEYS[2], ARGV[3], ARGV[4])
return 1`),
  // KEYS: delivery lease, queue, due. ARGV: owner, lease ms, now, chat.
  release: script(['release'], `return release(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4])`),
  // KEYS: due. ARGV: now, limit, delivery lease key prefix.
  due: script([], `
local out = {}
local chats = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]) * 4)
for _, chat in ipairs(chats) do
  if redis.call('EXISTS', ARGV[3] .. chat) == 0 then
    table.insert(out, chat)
    if #out >= tonumber(ARGV[2]) then break end
  end
end
return out`),
  // KEYS: buckets. ARGV: cost, then rate and burst of each bucket. → 0 | ms to wait
  acquire: script(['acquire'], `
local params = {}
for i = 2, #ARGV do table.insert(params, ARGV[i]) end
return acquire(KEYS, params, tonumber(ARGV[1]))`),
  // KEYS: counter. ARGV: window ms.
  hit: script([], `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`),
  // KEYS: value.
  take: script([], `
local v = redis.call('GET', KEYS[1])
if v then redis.call('DEL', KEYS[1]) end
return v`),
};
