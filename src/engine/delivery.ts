import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Button, Msg } from '../../flows/shared/protocol.js';
import type { ClaimRequest, OutboundQueues, StoredEntry } from '../infra/store/queue.js';
import type { TokenBucket } from '../infra/store/store.js';
import { failpoint } from '../lib/failpoints.js';
import type { Logger } from '../lib/logger.js';
import type { Outbound } from './types.js';

/**
 * One entry of a chat's outbound queue. `reply`: what a turn rendered, already applied to the
 * conversation. `notice`: something that happened outside the chat; it is applied to the
 * conversation when it is delivered, so a chat never moves on because of a message its person
 * never saw. `done` counts the items already delivered (a retry goes on from there).
 */
export type QueueEntry =
  | { id: string; kind: 'reply'; items: Outbound[]; attempts: number; notBefore: number; done: number }
  | { id: string; kind: 'notice'; msg: Msg; endSession?: boolean; signal?: string; buttons?: Button[][]; noticeId?: string; attempts: number; notBefore: number; done: number };

/** A channel's refusal to deliver: `permanent` when trying again cannot help (blocked, bad request). */
export class DeliveryError extends Error {
  readonly code = 'DELIVERY.FAILED';
  constructor(message: string, readonly permanent: boolean, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** Delivers rendered replies to one chat of a channel; throws {@link DeliveryError} (or anything: transient). */
export type ChatSender = (chatId: string, outbound: Outbound[]) => Promise<void>;

/** Applies a notice to its chat when it is delivered: renders it and calls `send`; saves only if sent. */
export type NoticeApplier = (chatKey: string, entry: Extract<QueueEntry, { kind: 'notice' }>, send: (outbound: Outbound[]) => Promise<void>) => Promise<void>;

/** What happened to entries, for the app (alerts, notice rows, metrics). */
export interface DeliveryObserver {
  delivered?(chatKey: string, entry: QueueEntry): void | Promise<void>;
  undeliverable?(chatKey: string, entry: QueueEntry, reason: string): void | Promise<void>;
}

/** What the deliverer is sending now: the entry's kind, and how many messages are paid for already. */
export interface DeliveryContext {
  kind: QueueEntry['kind'];
  /** Rate-limit tokens the commit took for this entry's first messages; a limiter spends these first. */
  prepaid: number;
}

const delivering = new AsyncLocalStorage<DeliveryContext>();

/**
 * What the deliverer is sending now, for a channel's rate limiter (a reply to a person's action goes
 * ahead of a notice; tokens already paid for are spent first). Undefined outside a delivery.
 */
export function currentDelivery(): DeliveryContext | undefined {
  return delivering.getStore();
}

/** Delays before the 2nd, 3rd … try of an entry; after the last, it is given up (undeliverable). */
export const DELIVERY_BACKOFF_MS = [1_000, 5_000, 15_000, 60_000, 5 * 60_000, 15 * 60_000];
// Short, and renewed while a send runs: a deliverer that dies (kill -9) holds its chats for seconds, not a minute.
const LEASE_MS = 10_000;
const RENEW_MS = 3_000;

/** JSON for the store, buffers as base64. */
export function encodeEntry(e: QueueEntry): StoredEntry {
  const data = JSON.stringify(e, function (this: Record<string, unknown>, key, v: unknown) {
    const orig = this[key];
    return Buffer.isBuffer(orig) ? { $b64: orig.toString('base64') } : v;
  });
  return { id: e.id, notBefore: e.notBefore, data };
}

/** A turn's replies as a queue entry, ready for the store. */
export function replyEntry(items: Outbound[], now: number): StoredEntry {
  return encodeEntry({ kind: 'reply', id: `r${now.toString(36)}${randomBytes(5).toString('hex')}`, items, attempts: 0, notBefore: now, done: 0 });
}

/** A new notice's queue entry (only the fields it has). */
export function noticeEntry(n: { id: string; msg: Msg; endSession?: boolean; signal?: string; buttons?: Button[][] }, now: number): QueueEntry {
  return { kind: 'notice', id: n.id, msg: n.msg, ...(n.endSession ? { endSession: true } : {}), ...(n.signal ? { signal: n.signal } : {}), ...(n.buttons?.length ? { buttons: n.buttons } : {}), attempts: 0, notBefore: now, done: 0 };
}

/** Reverses {@link encodeEntry}. */
export function decodeEntry(s: StoredEntry): QueueEntry {
  const e = JSON.parse(s.data, (_k, v: unknown) =>
    v && typeof v === 'object' && typeof (v as { $b64?: unknown }).$b64 === 'string' ? Buffer.from((v as { $b64: string }).$b64, 'base64') : v,
  ) as QueueEntry;
  return { ...e, notBefore: s.notBefore };
}

/**
 * Delivers chats' outbound queues in order, one deliverer per chat at a time (a lease in the store,
 * so across processes too). A failed item is tried again later from where it stopped; after the
 * last try, or at once for a permanent refusal, the entry is given up and reported. Nothing is
 * removed from a queue before its channel accepted it.
 */
export class Deliverer {
  private readonly senders = new Map<string, ChatSender>();
  private readonly budgets = new Map<string, (chatId: string) => TokenBucket[]>();
  private readonly preclaimed = new Map<string, { queue: StoredEntry[]; prepaid: number }>();
  private readonly active = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly queues: OutboundQueues,
    private readonly applyNotice: NoticeApplier,
    private readonly log: Logger,
    private readonly observer: DeliveryObserver = {},
    /** The clock retries are timed by (the app's, so tests can move it). */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Registers (or with null removes) how a channel delivers; `budget` names the rate-limit buckets
   * a reply to a chat draws from, so a turn's commit can pay for its messages in the same step.
   */
  setSender(channel: string, sender: ChatSender | null, budget?: (chatId: string) => TokenBucket[]): void {
    if (sender) this.senders.set(channel, sender);
    else this.senders.delete(channel);
    if (sender && budget) this.budgets.set(channel, budget);
    else this.budgets.delete(channel);
  }

  /** Does this process deliver to that channel? */
  hasSender(channel: string): boolean {
    return this.senders.has(channel);
  }

  /**
   * Delivers what the chat's queue holds now, in order, unless another deliverer holds the chat
   * (it then delivers these too) or this process has no sender for the chat's channel.
   */
  async flush(chatKey: string): Promise<void> {
    // One flush per chat in this process; a caller that comes meanwhile makes it look once more.
    const running = this.active.get(chatKey);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await this.flushOnce(chatKey);
        } while (state.again);
      } finally {
        this.active.delete(chatKey);
      }
    })();
    this.active.set(chatKey, state);
    return state.done;
  }

  private async flushOnce(chatKey: string): Promise<void> {
    const sep = chatKey.indexOf(':');
    const channel = chatKey.slice(0, sep);
    const chatId = chatKey.slice(sep + 1);
    const sender = this.senders.get(channel);
    if (!sender) return;
    // A turn's commit may have claimed the queue already (and paid for its first messages).
    const pre = this.preclaimed.get(chatKey);
    this.preclaimed.delete(chatKey);
    let queue = pre?.queue ?? (await this.queues.claim(chatKey, this.owner, LEASE_MS));
    let prepaid = pre?.prepaid ?? 0;
    while (queue) {
      const head = queue[0];
      if (!head || head.notBefore > this.now()) {
        queue = await this.queues.release(chatKey, this.owner, LEASE_MS, this.now());
      } else {
        const entry = decodeEntry(head);
        const done = await this.deliver(chatKey, chatId, entry, sender, prepaid);
        prepaid = 0;
        // Delivered or given up: removed, and the lease released unless more may go now.
        queue = done ? await this.queues.finish(chatKey, entry.id, this.owner, LEASE_MS, this.now()) : await this.queues.release(chatKey, this.owner, LEASE_MS, this.now());
      }
      if (!queue.length) return;
    }
  }

  /**
   * Takes over a queue a turn's commit claimed for this deliverer (see `claimRequest`), with the
   * messages already paid for; the next {@link flush} of the chat delivers it without claiming again.
   */
  adopt(chatKey: string, queue: StoredEntry[], prepaid: number): void {
    // A flush under way sees the new entries itself; the queue read here may already be stale for it.
    if (this.active.has(chatKey)) return;
    this.preclaimed.set(chatKey, { queue, prepaid });
  }

  /** What a commit should ask for so this deliverer can send the turn's replies without another round trip. */
  claimRequest(chatKey: string, paid: number): ClaimRequest | undefined {
    const channel = chatKey.slice(0, chatKey.indexOf(':'));
    if (!this.senders.has(channel)) return undefined;
    const buckets = paid ? this.budgets.get(channel)?.(chatKey.slice(channel.length + 1)) : undefined;
    return { owner: this.owner, leaseMs: LEASE_MS, ...(buckets?.length ? { buckets, cost: paid } : {}) };
  }

  /** Delivers queued entries whose time has come (retries, and chats of a deliverer that died). */
  async sweep(limit = 50): Promise<number> {
    const due = await this.queues.dueChats(this.now(), limit);
    // A queue a commit claimed for us but nobody flushed (the lease hides it from dueChats).
    const mine = [...new Set([...this.preclaimed.keys(), ...due])].filter((c) => this.senders.has(c.slice(0, c.indexOf(':'))));
    await Promise.all(mine.map((c) => this.flush(c).catch((err: Error) => this.log.warn({ chat: c, err: err.message }, 'delivery failed'))));
    return mine.length;
  }

  /** Delivers one entry; true when it is done with (delivered, or given up), false when it waits. */
  private async deliver(chatKey: string, chatId: string, entry: QueueEntry, sender: ChatSender, prepaid: number): Promise<boolean> {
    // A send may outlast the lease (a flood wait): renew it meanwhile, and stop before the lease is finished or released.
    let renewing: Promise<unknown> = Promise.resolve();
    const renew = setInterval(() => (renewing = this.queues.claim(chatKey, this.owner, LEASE_MS).catch(() => undefined)), RENEW_MS);
    try {
      await delivering.run({ kind: entry.kind, prepaid }, async () => {
        failpoint('notice.deliver.before');
        if (entry.kind === 'notice') {
          await this.applyNotice(chatKey, entry, (outbound) => sender(chatId, outbound));
        } else {
          for (let i = entry.done; i < entry.items.length; i++) {
            await sender(chatId, [entry.items[i]!]);
            entry.done = i + 1;
          }
        }
      });
      failpoint('notice.deliver.after');
      await this.observer.delivered?.(chatKey, entry);
      return true;
    } catch (err) {
      const e = err as Error;
      const permanent = err instanceof DeliveryError && err.permanent;
      entry.attempts++;
      if (permanent || entry.attempts > DELIVERY_BACKOFF_MS.length) {
        this.log.warn({ chat: chatKey, entry: entry.id, kind: entry.kind, attempts: entry.attempts, err: e.message }, 'message undeliverable; given up');
        await this.observer.undeliverable?.(chatKey, entry, e.message);
        return true;
      }
      const backoff = DELIVERY_BACKOFF_MS[entry.attempts - 1]!;
      const wait = err instanceof DeliveryError && err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 0) : backoff;
      entry.notBefore = this.now() + wait;
      this.log.info({ chat: chatKey, entry: entry.id, attempts: entry.attempts, retryInMs: wait, err: e.message }, 'delivery failed; will retry');
      await this.queues.update(chatKey, encodeEntry(entry), this.owner, LEASE_MS);
      return false;
    } finally {
      clearInterval(renew);
      await renewing;
    }
  }
}
