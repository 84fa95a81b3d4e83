import { createHash } from 'node:crypto';
import { createActor, isMachineSnapshot, type AnyActorRef, type AnyStateMachine } from 'xstate';
import type { InboundEvent, Lang, Reply, ReplyEvent, Session } from '../../flows/shared/protocol.js';
import { LANGS } from '../../flows/shared/protocol.js';
import type { Logger } from '../lib/logger.js';
import type { Clock } from '../lib/clock.js';
import type { Catalogue } from '../i18n/i18n.js';
import type { StateStore, StoredSnapshot } from '../infra/store/store.js';
import { decode, encode } from './codec.js';
import { readRecord, renderReplies, resolveButton, type ChatRecord } from './render.js';
import type { Inbound, Outbound, TurnResult } from './types.js';

/** Engine policies. */
export interface EngineOptions {
  sessionIdleMs: number;
  sessionMaxMs: number;
  conversationIdleMs: number;
  defaultLang: Lang;
  /** Longest a turn may wait for its side effects before it is abandoned. */
  turnTimeoutMs?: number;
}

/** Hooks for metrics. */
export interface EngineObserver {
  turn?(channel: string, outcome: 'ok' | 'duplicate' | 'stale-button' | 'error' | 'reset', ms: number): void;
  /** A logged-in member switched the chat's language (to remember it for e-mails and next log-ins). */
  languageChanged?(memberId: string, lang: Lang): Promise<void>;
}

/** A turn's side effects did not settle in time. */
export class TurnTimeoutError extends Error {
  readonly code = 'ENGINE.TURN_TIMEOUT';
}

const UPDATE_DEDUP_MS = 7 * 24 * 3600_000;

/**
 * Runs conversations. One turn: take the chat's turn in the store (ordered), restore the root
 * machine from its snapshot, send the event, wait until no side effect is running, persist the
 * snapshot (compare-and-set on its version), render the replies.
 */
export class Engine {
  private readonly version: string;

  constructor(
    private readonly machine: AnyStateMachine,
    private readonly store: StateStore,
    private readonly catalogue: Catalogue,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: EngineOptions,
    private readonly observer: EngineObserver = {},
  ) {
    this.version = machineVersion(machine);
  }

  /** The key a chat's state is stored under. */
  static chatKey(channel: string, chatId: string): string {
    return `${channel}:${chatId}`;
  }

  /** Handles one inbound event from a channel. Never throws for anything a user can send. */
  async handle(inbound: Inbound): Promise<TurnResult> {
    const started = Date.now();
    const chatKey = Engine.chatKey(inbound.channel, inbound.chatId);
    const seenKey = inbound.updateKey ? `update:${inbound.updateKey}` : undefined;
    return this.store.runTurn(chatKey, async () => {
      // Checked inside the chat's turn and marked only after the turn, so a redelivery of an update
      // whose process died mid-turn is handled again instead of being lost.
      if (seenKey && (await this.store.get(seenKey)) !== null) {
        this.observer.turn?.(inbound.channel, 'duplicate', 0);
        return { outbound: [], duplicate: true };
      }
      const result = await this.turn(chatKey, inbound).catch((err: unknown) => {
        this.log.error({ chat: chatKey, err: errInfo(err) }, 'turn failed');
        this.observer.turn?.(inbound.channel, 'error', Date.now() - started);
        return { outbound: [{ kind: 'text', text: this.catalogue.render(this.guessLang(inbound), { key: 'error-generic' }) }] } as TurnResult;
      });
      if (seenKey) await this.store.set(seenKey, '1', UPDATE_DEDUP_MS);
      return result;
    });
  }

  /** Delivers something that happened outside the chat (a charge completed, a support reply). */
  async notify(channel: string, chatId: string, event: { msgKey: string; vars?: Record<string, string | number>; endSession?: boolean }): Promise<Outbound[]> {
    const chatKey = Engine.chatKey(channel, chatId);
    return this.store.runTurn(chatKey, async () => {
      const at = this.clock.now().getTime();
      const notice: InboundEvent = { type: 'notice', msg: { key: event.msgKey, ...(event.vars ? { vars: event.vars } : {}) }, at, ...(event.endSession ? { endSession: true } : {}) };
      const res = await this.run(chatKey, { channel, chatId, kind: 'command' }, notice, true);
      return res.outbound;
    });
  }

  /**
   * Sets (or clears) the member session of a chat from outside a conversation: test fixtures and
   * scripts that start logged in, and support actions.
   */
  async setSession(channel: string, chatId: string, session: Session | null): Promise<void> {
    const chatKey = Engine.chatKey(channel, chatId);
    await this.store.runTurn(chatKey, async () => {
      await this.run(chatKey, { channel, chatId, kind: 'command' }, { type: 'session', session } as never, true);
    });
  }

  private guessLang(inbound: Inbound): Lang {
    const hint = inbound.langHint?.slice(0, 2).toLowerCase();
    return (LANGS as readonly string[]).includes(hint ?? '') ? (hint as Lang) : this.opts.defaultLang;
  }

  private async turn(chatKey: string, inbound: Inbound): Promise<TurnResult> {
    const at = this.clock.now().getTime();
    // Read once per turn: the button lookup and the turn itself use the same snapshot.
    const stored = await this.store.loadSnapshot(chatKey);
    let event: InboundEvent;
    if (inbound.kind === 'text') event = { type: 'text', text: sanitize(inbound.text ?? ''), at };
    else if (inbound.kind === 'command') event = { type: 'command', name: (inbound.command ?? '').toLowerCase(), arg: sanitize(inbound.arg ?? ''), at };
    else {
      const record = readRecord(stored);
      const value = resolveButton(record, inbound.data ?? '');
      if (value === null) {
        this.observer.turn?.(inbound.channel, 'stale-button', 0);
        const lang = ((record?.snapshot as { context?: { lang?: Lang } } | undefined)?.context?.lang ?? this.guessLang(inbound)) as Lang;
        return { outbound: [], ack: this.catalogue.render(lang, { key: 'button-expired' }) };
      }
      event = { type: 'button', value, at };
    }
    return this.run(chatKey, inbound, event, false, stored);
  }

  private async run(chatKey: string, inbound: Inbound, event: InboundEvent, isNotice: boolean, preloaded?: StoredSnapshot | null): Promise<TurnResult> {
    const started = Date.now();
    event = { ...event, at: event.at ?? this.clock.now().getTime() };
    const stored = preloaded !== undefined ? preloaded : await this.store.loadSnapshot(chatKey);
    const at = event.at;
    let record: ChatRecord | null = null;
    const prefix: Reply[] = [];
    let outcome: 'ok' | 'reset' = 'ok';
    if (stored) {
      try {
        record = decode<ChatRecord>(stored.data);
      } catch {
        record = null;
        outcome = 'reset';
        prefix.push({ kind: 'text', msg: { key: 'conversation-reset' } });
      }
    }
    let lang = this.guessLang(inbound);
    if (record) {
      lang = ((record.snapshot as { context?: { lang?: Lang } })?.context?.lang ?? lang) as Lang;
      if (at - record.updatedAt > this.opts.conversationIdleMs) {
        record = null;
        prefix.push({ kind: 'text', msg: { key: 'conversation-expired' } });
      }
    }

    const emitted: Reply[] = [...prefix];
    const actors = new Set<AnyActorRef>();
    const input = { chatKey, lang, sessionIdleMs: this.opts.sessionIdleMs, sessionMaxMs: this.opts.sessionMaxMs };
    const collect = {
      inspect: (ev: { type: string; actorRef: AnyActorRef }) => {
        if (ev.type === '@xstate.actor' && !actors.has(ev.actorRef)) {
          actors.add(ev.actorRef);
          ev.actorRef.on('reply', (e: ReplyEvent) => emitted.push(e.reply));
        }
      },
    };
    let actor = this.start(record, input, collect);
    if (!actor) {
      outcome = 'reset';
      emitted.push({ kind: 'text', msg: { key: 'conversation-reset' } });
      record = null;
      actors.clear();
      actor = this.start(null, input, collect)!;
    }
    const wasSecret = event.type === 'text' && hasTag(actor, 'secret');
    if (event.type !== 'notice' && (event.type as string) !== 'session') actor.send({ type: 'clock', at });
    actor.send(event);
    await this.settle(actor, actors);
    const snap = actor.getSnapshot();
    if (snap.status === 'error') {
      actor.stop();
      throw new Error(`root machine failed: ${errInfo((snap as { error?: unknown }).error).message}`);
    }
    const persisted = actor.getPersistedSnapshot();
    actor.stop();
    const finalLang = ((snap.context as { lang?: Lang }).lang ?? lang) as Lang;

    const { outbound, screen } = renderReplies(this.catalogue, emitted, finalLang, inbound, event.type === 'button');
    if (wasSecret && inbound.messageId && !outbound.some((o) => o.kind === 'delete')) {
      outbound.unshift({ kind: 'delete', messageId: inbound.messageId });
    }
    const next: ChatRecord = {
      machine: this.version,
      snapshot: persisted,
      screen: screen ?? (isNotice ? (record?.screen ?? null) : null),
      updatedAt: at,
    };
    const ok = await this.store.saveSnapshot(chatKey, stored?.version ?? 0, encode(next), this.opts.conversationIdleMs * 2);
    if (!ok) this.log.error({ chat: chatKey }, 'conversation snapshot changed during the turn; this turn was not saved');
    this.log.debug({ chat: chatKey, kind: event.type, state: JSON.stringify(snap.value), ms: Date.now() - started }, 'turn');
    const member = (snap.context as { session?: Session | null }).session?.memberId;
    if (ok && member && finalLang !== lang && this.observer.languageChanged) {
      await this.observer.languageChanged(member, finalLang).catch((err: unknown) => this.log.warn({ chat: chatKey, err: errInfo(err) }, 'could not save the language'));
    }
    this.observer.turn?.(inbound.channel, outcome, Date.now() - started);
    return { outbound };
  }

  /** Restores (or creates) the root actor; undefined when the stored snapshot cannot be restored. */
  private start(record: ChatRecord | null, input: object, options: object) {
    try {
      const actor = createActor(this.machine, { input, ...(record ? { snapshot: record.snapshot as never } : {}), ...options });
      // Errors are read from the snapshot's status after the turn; without a listener XState rethrows them globally.
      actor.subscribe({ error: () => undefined });
      actor.start();
      if (actor.getSnapshot().status === 'error') {
        actor.stop();
        return undefined;
      }
      return actor;
    } catch (err) {
      this.log.warn({ err: errInfo(err) }, 'snapshot could not be restored');
      return undefined;
    }
  }

  /** Waits until no invoked promise/callback actor is still running. */
  private async settle(root: AnyActorRef, actors: Set<AnyActorRef>): Promise<void> {
    const deadline = Date.now() + (this.opts.turnTimeoutMs ?? 30_000);
    for (;;) {
      const running = [...actors].filter((a) => a !== root && a.getSnapshot().status === 'active' && !isMachineSnapshot(a.getSnapshot()));
      if (running.length === 0) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new TurnTimeoutError('side effects did not finish in time');
      await Promise.race([
        Promise.all(running.map((a) => new Promise<void>((res) => {
          const sub = a.subscribe({ complete: () => res(), error: () => res() });
          if (a.getSnapshot().status !== 'active') {
            sub.unsubscribe();
            res();
          }
        }))),
        new Promise((res) => setTimeout(res, Math.min(remaining, 1000))),
      ]);
      await new Promise((res) => setImmediate(res));
    }
  }
}

/** Is any active state of the root or its running flows tagged `tag`? */
function hasTag(actor: AnyActorRef, tag: string): boolean {
  const snap = actor.getSnapshot() as { hasTag?: (t: string) => boolean; children?: Record<string, AnyActorRef> };
  if (snap.hasTag?.(tag)) return true;
  return Object.values(snap.children ?? {}).some((c) => c && isMachineSnapshot(c.getSnapshot()) && hasTag(c, tag));
}

/** A stable fingerprint of a machine's states, so a changed machine is noticed. */
function machineVersion(machine: AnyStateMachine): string {
  return createHash('sha256').update(JSON.stringify(machine.definition, (_k, v) => (typeof v === 'function' ? undefined : v))).digest('hex').slice(0, 12);
}

/** Removes control characters (but keeps newlines and tabs) and caps the length people can send. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').slice(0, 4096);
}

function errInfo(err: unknown): { message: string; code?: string } {
  if (err instanceof Error) return { message: err.message, ...('code' in err ? { code: String((err as { code: unknown }).code) } : {}) };
  return { message: String(err) };
}
