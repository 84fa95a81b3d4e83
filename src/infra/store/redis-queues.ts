import type { ClaimRequest, CommitResult, OutboundQueues, StoredEntry } from './queue.js';
import { QUEUE_TTL_MS, SCRIPTS, type Script } from './redis-lua.js';

/** Runs a script by its SHA. */
export type Run = (script: Script, keys: string[], args: (string | number)[]) => Promise<unknown>;

/** The turn a commit belongs to, when it runs inside `runTurn` (its ticket ends with the commit). */
export interface TurnTicket {
  q: string;
  ticket: number;
  ended: boolean;
}

const raw = (e: StoredEntry) => JSON.stringify({ id: e.id, nb: e.notBefore, d: e.data });
const parse = (s: string): StoredEntry => {
  const o = JSON.parse(s) as { id: string; nb: number; d: string };
  return { id: o.id, notBefore: o.nb, data: o.d };
};

/** The outbound queues in Redis: a list per chat, a delivery lease per chat, one sorted set of due chats. */
export class RedisQueues implements Omit<OutboundQueues, 'commitTurn'> {
  constructor(private readonly run: Run, private readonly k: (s: string) => string) {}

  private keys(chatKey: string) {
    return { snap: this.k(`snap:${chatKey}`), q: this.k(`oq:${chatKey}`), ids: this.k(`oqids:${chatKey}`), lease: this.k(`ol:${chatKey}`), due: this.k('odue') };
  }

  /** See {@link OutboundQueues.commitTurn}; `turn` is the chat's turn this commit ends, if any. */
  async commit(chatKey: string, expectedVersion: number, data: string, ttlMs: number, entries: StoredEntry[], claim: ClaimRequest | undefined, turn: TurnTicket | undefined): Promise<CommitResult> {
    const k = this.keys(chatKey);
    const now = entries.length ? Math.min(...entries.map((e) => e.notBefore)) : Date.now();
    const buckets = claim?.buckets ?? [];
    const keys = [k.snap, k.q, k.ids, k.due, `${turn?.q ?? k.snap}cur`, `${turn?.q ?? k.snap}lease:`, k.lease, ...buckets.map((b) => this.k(`tb:${b.key}`))];
    const args = [
      expectedVersion, data, Math.max(1, Math.round(ttlMs)), chatKey, now, turn && !turn.ended ? turn.ticket : 0, QUEUE_TTL_MS,
      claim?.owner ?? '', claim?.leaseMs ?? 0, entries.length, claim?.cost ?? 0,
      ...entries.map(raw), ...entries.map((e) => e.id), ...buckets.flatMap((b) => [b.perSecond, b.burst]),
    ];
    const r = (await this.run(SCRIPTS.commit, keys, args)) as unknown[];
    if (turn) turn.ended = true;
    if (Number(r[0]) !== 1) return { ok: false };
    if (Number(r[1]) === -1) return { ok: true };
    return { ok: true, claimed: (r.slice(2) as string[]).map(parse), tokens: Number(r[1]) === 1 };
  }

  async enqueue(chatKey: string, entries: StoredEntry[]): Promise<void> {
    if (!entries.length) return;
    const k = this.keys(chatKey);
    await this.run(SCRIPTS.enqueue, [k.q, k.ids, k.due], [chatKey, Math.min(...entries.map((e) => e.notBefore)), entries.length, ...entries.map(raw), ...entries.map((e) => e.id)]);
  }

  async claim(chatKey: string, owner: string, leaseMs: number): Promise<StoredEntry[] | null> {
    const k = this.keys(chatKey);
    const r = await this.run(SCRIPTS.claim, [k.lease, k.q], [owner, leaseMs]);
    return Array.isArray(r) ? (r as string[]).map(parse) : null;
  }

  async finish(chatKey: string, entryId: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]> {
    const k = this.keys(chatKey);
    return ((await this.run(SCRIPTS.finish, [k.q, k.ids, k.lease, k.due], [entryId, owner, leaseMs, now, chatKey])) as string[]).map(parse);
  }

  async update(chatKey: string, entry: StoredEntry, owner: string, leaseMs: number): Promise<void> {
    const k = this.keys(chatKey);
    await this.run(SCRIPTS.update, [k.q, k.lease], [entry.id, raw(entry), owner, leaseMs]);
  }

  async release(chatKey: string, owner: string, leaseMs: number, now: number): Promise<StoredEntry[]> {
    const k = this.keys(chatKey);
    return ((await this.run(SCRIPTS.release, [k.lease, k.q, k.due], [owner, leaseMs, now, chatKey])) as string[]).map(parse);
  }

  async dueChats(now: number, limit: number): Promise<string[]> {
    return (await this.run(SCRIPTS.due, [this.k('odue')], [now, limit, this.k('ol:')])) as string[];
  }
}
