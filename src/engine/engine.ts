import type { AnyEventObject, AnyStateMachine } from 'xstate';
import type { Button, InboundEvent, Lang, Msg, Session } from '../../flows/shared/protocol.js';
import type { Logger } from '../lib/logger.js';
import type { Clock } from '../lib/clock.js';
import { failpoint } from '../lib/failpoints.js';
import type { Catalogue } from '../i18n/i18n.js';
import type { StateStore, StoredSnapshot } from '../infra/store/store.js';
import { encode } from './codec.js';
import { Deliverer, DeliveryError, encodeEntry, noticeEntry, replyEntry, type DeliveryObserver, type QueueEntry } from './delivery.js';
import { runMachine, TurnTimeoutError, type MachineRun } from './machine-run.js';
import { nextScreen, readRecord, renderReplies, resolveButton, type ChatRecord } from './render.js';
import { errInfo, langOf, mediaEvent, sanitize } from './input.js';
import { typedPress } from './typed.js';
import type { Inbound, Outbound, TurnResult } from './types.js';
import { leaveFlow, machineVersions, VersionRegistry } from './versions.js';

/** Engine policies. */
export interface EngineOptions {
  sessionIdleMs: number;
  sessionMaxMs: number;
  conversationIdleMs: number;
  defaultLang: Lang;
  /** Longest a turn may wait for its side effects before it is abandoned. */
  turnTimeoutMs?: number;
}

/** How a turn ended, for metrics. */
export type TurnOutcome = 'ok' | 'duplicate' | 'stale-button' | 'error' | 'reset' | 'timeout' | 'conflict' | 'newer-version';

/** Hooks for metrics and for what the app does with delivery outcomes. */
export interface EngineObserver extends DeliveryObserver {
  turn?(channel: string, outcome: TurnOutcome, ms: number): void;
  /** A logged-in member switched the chat's language (to remember it for e-mails and next log-ins). */
  languageChanged?(memberId: string, lang: Lang): Promise<void>;
}

/** How many of a chat's latest update keys are remembered: redeliveries come soon (a crash, a slow answer), so memory grows with chats, not updates. */
const SEEN_UPDATES = 16;

/** What one turn computed, before it is saved. */
interface Computed {
  record: ChatRecord;
  outbound: Outbound[];
  outcome: TurnOutcome;
  lang: Lang;
  finalLang: Lang;
}

/**
 * Runs conversations. One turn: take the chat's turn in the store (ordered), restore the root
 * machine from its snapshot, send the event, wait until no side effect is running, then save the
 * snapshot (compare-and-set on its version) and queue the rendered replies in the same step. The
 * {@link Deliverer} sends queued replies in order through the chat's channel; nothing reaches a
 * person any other way.
 */
export class Engine {
  /** The outbound queues' deliverer (channels register their senders with it). */
  readonly delivery: Deliverer;
  private readonly versions: VersionRegistry;

  constructor(
    private readonly machine: AnyStateMachine,
    private readonly store: StateStore,
    private readonly catalogue: Catalogue,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: EngineOptions,
    private readonly observer: EngineObserver = {},
  ) {
    this.versions = new VersionRegistry(store, machineVersions(machine));
    this.delivery = new Deliverer(store, (chatKey, entry, send) => this.applyNotice(chatKey, entry, send), log, observer, () => clock.now().getTime());
  }

  /** The key a chat's state is stored under. */
  static chatKey(channel: string, chatId: string): string {
    return `${channel}:${chatId}`;
  }

  /**
   * Handles one inbound event from a channel and queues its replies (deliver them with
   * {@link deliver}). Never throws for anything a user can send. `outbound` tells what was queued.
   */
  async handle(inbound: Inbound): Promise<TurnResult> {
    const started = Date.now();
    const chatKey = Engine.chatKey(inbound.channel, inbound.chatId);
    return this.store.runTurn(chatKey, async () => {
      let result: TurnResult;
      try {
        result = await this.turn(chatKey, inbound, started);
      } catch (err) {
        this.log.error({ chat: chatKey, err: errInfo(err) }, 'turn failed');
        this.observer.turn?.(inbound.channel, 'error', Date.now() - started);
        result = { outbound: await this.queueText(chatKey, this.guessLang(inbound), 'error-generic') };
      }
      return result;
    });
  }

  /** Delivers the chat's queued replies and notices now (the deliverer's sweep would, a little later). */
  deliver(channel: string, chatId: string): Promise<void> {
    return this.delivery.flush(Engine.chatKey(channel, chatId));
  }

  /**
   * Queues something that happened outside the chat (a charge completed, a support reply) behind
   * the chat's replies. It changes the conversation only when it is delivered. `id` makes queueing
   * it again harmless. `signal` also reaches the flow the chat is in then (see `NoticeEvent`).
   */
  async queueNotice(channel: string, chatId: string, notice: { id: string; msg: Msg; endSession?: boolean; signal?: string; buttons?: Button[][] }): Promise<void> {
    await this.store.enqueue(Engine.chatKey(channel, chatId), [encodeEntry(noticeEntry(notice, this.clock.now().getTime()))]);
  }

  /**
   * Sets (or clears) the member session of a chat from outside a conversation: test fixtures and
   * scripts that start logged in, and support actions.
   */
  async setSession(channel: string, chatId: string, session: Session | null): Promise<void> {
    const chatKey = Engine.chatKey(channel, chatId);
    await this.store.runTurn(chatKey, async () => {
      const stored = await this.store.loadSnapshot(chatKey);
      const c = await this.compute(chatKey, stored, { channel, chatId, kind: 'command' }, { type: 'session', session, at: this.clock.now().getTime() } as never, true);
      if (!c) throw new Error('a newer version of the assistant holds this chat; try again in a moment');
      if (!(await this.store.commitTurn(chatKey, stored?.version ?? 0, encode(c.record), this.ttl(), this.entries(c.outbound))).ok) throw new Error('the conversation changed meanwhile; try again');
    });
  }

  private async turn(chatKey: string, inbound: Inbound, started: number): Promise<TurnResult> {
    const at = this.clock.now().getTime();
    // Read once per turn: the button lookup and the turn itself use the same snapshot.
    const stored = await this.store.loadSnapshot(chatKey);
    // Checked inside the chat's turn and recorded with the turn's snapshot, so a redelivery of an
    // update whose process died mid-turn is handled again instead of being lost.
    const previous = readRecord(stored);
    if (inbound.updateKey && previous?.seen?.includes(inbound.updateKey)) {
      this.observer.turn?.(inbound.channel, 'duplicate', 0);
      return { outbound: [], duplicate: true };
    }
    let event: InboundEvent;
    if (inbound.kind === 'text') event = typedPress(previous?.screen, inbound.text ?? '', this.catalogue, at) ?? { type: 'text', text: sanitize(inbound.text ?? ''), at };
    else if (inbound.kind === 'media') event = mediaEvent(inbound, at);
    else if (inbound.kind === 'command') event = { type: 'command', name: (inbound.command ?? '').toLowerCase(), arg: sanitize(inbound.arg ?? ''), at };
    else {
      const value = resolveButton(previous, inbound.data ?? '');
      if (value === null) {
        this.observer.turn?.(inbound.channel, 'stale-button', 0);
        const lang = ((previous?.snapshot as { context?: { lang?: Lang } } | undefined)?.context?.lang ?? this.guessLang(inbound)) as Lang;
        return { outbound: [], ack: this.catalogue.render(lang, { key: 'button-expired' }) };
      }
      event = { type: 'button', value, at };
    }
    const c = await this.compute(chatKey, stored, inbound, event, false);
    if (c && inbound.updateKey) c.record.seen = [...(previous?.seen ?? []), inbound.updateKey].slice(-SEEN_UPDATES);
    if (!c) {
      // Saved by a newer version during a rolling deploy: leave it to that version.
      this.observer.turn?.(inbound.channel, 'newer-version', Date.now() - started);
      return { outbound: await this.queueText(chatKey, this.guessLang(inbound), 'bot-updating') };
    }
    // One step saves the turn, queues its replies, ends the turn, and claims (and pays for) their delivery; the first message is paid for here (a bucket holds one token).
    const paid = c.outbound.some((o) => o.kind !== 'delete') ? 1 : 0;
    failpoint('snapshot.write.before');
    const committed = await this.store.commitTurn(chatKey, stored?.version ?? 0, encode(c.record), this.ttl(), this.entries(c.outbound), this.delivery.claimRequest(chatKey, paid));
    failpoint('snapshot.write.after');
    if (committed.claimed) this.delivery.adopt(chatKey, committed.claimed, committed.tokens ? paid : 0);
    if (!committed.ok) {
      // Another writer got in despite the turn lock (its lease lapsed): this turn's replies would lie.
      this.log.error({ chat: chatKey }, 'conversation snapshot changed during the turn; this turn was not saved');
      this.observer.turn?.(inbound.channel, 'conflict', Date.now() - started);
      return { outbound: await this.queueText(chatKey, c.lang, 'error-generic') };
    }
    const member = (c.record.snapshot as { context?: { session?: Session | null } }).context?.session?.memberId;
    if (member && c.finalLang !== c.lang && this.observer.languageChanged) {
      await this.observer.languageChanged(member, c.finalLang).catch((err: unknown) => this.log.warn({ chat: chatKey, err: errInfo(err) }, 'could not save the language'));
    }
    this.observer.turn?.(inbound.channel, c.outcome, Date.now() - started);
    // A press the conversation had nothing to say to (its step ignores that value) still gets a word.
    return !c.outbound.length && event.type === 'button' ? { outbound: [], ack: this.catalogue.render(c.finalLang, { key: 'button-no-effect' }) } : { outbound: c.outbound };
  }

  /**
   * A notice's turn, run when the deliverer reaches it: rendered against the conversation as it is
   * now, sent, and saved only once sent — or when it can never be sent (the effect still applies).
   */
  private applyNotice(chatKey: string, entry: Extract<QueueEntry, { kind: 'notice' }>, send: (outbound: Outbound[]) => Promise<void>): Promise<void> {
    const sep = chatKey.indexOf(':');
    const inbound: Inbound = { channel: chatKey.slice(0, sep), chatId: chatKey.slice(sep + 1), kind: 'command' };
    return this.store.runTurn(chatKey, async () => {
      const stored = await this.store.loadSnapshot(chatKey);
      const event: InboundEvent = { type: 'notice', msg: entry.msg, at: this.clock.now().getTime(), ...(entry.endSession ? { endSession: true } : {}), ...(entry.signal ? { signal: entry.signal } : {}), ...(entry.buttons ? { buttons: entry.buttons } : {}) };
      const c = await this.compute(chatKey, stored, inbound, event, true);
      if (!c) throw new DeliveryError('a newer version of the assistant holds this chat', false, 5_000);
      let refused: unknown;
      try {
        await send(c.outbound);
      } catch (err) {
        if (!(err instanceof DeliveryError && err.permanent)) throw err;
        refused = err;
      }
      if (!(await this.store.saveSnapshot(chatKey, stored?.version ?? 0, encode(c.record), this.ttl()))) this.log.error({ chat: chatKey }, 'conversation changed while a notice was delivered; its effect was not saved');
      if (refused) throw refused;
    });
  }

  /** Runs the event against the stored conversation; null when a newer version of the machines saved it. */
  private async compute(chatKey: string, stored: StoredSnapshot | null, inbound: Inbound, event: InboundEvent, isNotice: boolean): Promise<Computed | null> {
    const at = event.at ?? this.clock.now().getTime();
    let record: ChatRecord | null = null;
    const prefix: { key: string }[] = [];
    let outcome: TurnOutcome = 'ok';
    if (stored) {
      record = readRecord(stored);
      if (!record) {
        outcome = 'reset';
        prefix.push({ key: 'conversation-reset' });
      }
    }
    let lang = this.guessLang(inbound);
    const events: AnyEventObject[] = [];
    if (record) {
      const ctx = (record.snapshot as { context?: { lang?: Lang; session?: Session | null } })?.context;
      lang = (ctx?.lang ?? lang) as Lang;
      if (at - record.updatedAt > this.opts.conversationIdleMs) {
        record = null;
        prefix.push({ key: 'conversation-expired' });
      } else {
        const verdict = await this.versions.verdict({ ...(record.root ? { root: record.root } : {}), ...(record.flow ? { flow: record.flow } : {}) });
        if (verdict === 'newer') return null;
        if (verdict !== 'same') {
          this.log.info({ chat: chatKey, verdict }, 'conversation saved by another version; back to the menu');
          prefix.push({ key: 'conversation-updated' });
          // The old screen's buttons and a typed answer belong to a machine that is gone: show the menu.
          if (event.type === 'text' || event.type === 'button') event = { type: 'command', name: 'menu', arg: '', at };
          if (verdict === 'flow-changed') record = { ...record, snapshot: leaveFlow(record.snapshot), screen: null };
          else {
            // A changed root starts afresh, keeping who is logged in.
            if (ctx?.session) events.push({ type: 'session', session: ctx.session });
            record = null;
          }
        }
      }
    }
    const input = { chatKey, lang, sessionIdleMs: this.opts.sessionIdleMs, sessionMaxMs: this.opts.sessionMaxMs };
    if (event.type !== 'notice' && (event.type as string) !== 'session') events.push({ type: 'clock', at });
    events.push(event);
    const timeout = this.opts.turnTimeoutMs ?? 30_000;
    let run: MachineRun | null;
    try {
      run = await runMachine(this.machine, record?.snapshot, input, events, timeout);
      if (!run) {
        this.log.warn({ chat: chatKey }, 'snapshot could not be restored');
        outcome = 'reset';
        prefix.push({ key: 'conversation-reset' });
        record = null;
        run = (await runMachine(this.machine, undefined, input, events, timeout))!;
      }
    } catch (err) {
      if (!(err instanceof TurnTimeoutError)) throw err;
      // The side effect is abandoned (its actor stopped); the chat leaves the flow with a word.
      this.log.error({ chat: chatKey, ms: timeout }, 'turn timed out; the chat goes back to the menu');
      outcome = 'timeout';
      prefix.push({ key: 'turn-timeout' });
      run = (await runMachine(this.machine, record?.snapshot, input, [{ type: 'command', name: 'cancel', arg: '', at }], timeout)) ?? (await runMachine(this.machine, undefined, input, [], timeout))!;
    }
    const finalLang = (run.context.lang ?? lang) as Lang;
    const replies = [...prefix.map((msg) => ({ kind: 'text' as const, msg })), ...run.emitted];
    const { outbound, screen } = renderReplies(this.catalogue, replies, finalLang, inbound, event.type === 'button', record?.screen);
    if (run.wasSecret && (event.type === 'text' || event.type === 'media') && inbound.messageId && !outbound.some((o) => o.kind === 'delete')) outbound.unshift({ kind: 'delete', messageId: inbound.messageId });
    const flowId = typeof run.value === 'string' ? run.value : undefined;
    const flowV = flowId ? this.versions.current.flows[flowId] : undefined;
    const next: ChatRecord = {
      root: this.versions.current.root,
      ...(flowId && flowV ? { flow: { id: flowId, v: flowV } } : {}),
      snapshot: run.persisted,
      screen: nextScreen(screen, record, run.persisted, isNotice || event.type === 'media'),
      updatedAt: at,
      ...(record?.seen ? { seen: record.seen } : {}),
    };
    this.log.debug({ chat: chatKey, kind: event.type, state: JSON.stringify(run.value) }, 'turn');
    return { record: next, outbound, outcome, lang, finalLang };
  }

  /** A turn's replies as one queue entry (none when it said nothing). */
  private entries(outbound: Outbound[]) {
    return outbound.length ? [replyEntry(outbound, this.clock.now().getTime())] : [];
  }

  /** Queues one catalogue text without touching the conversation (errors, "being updated"). */
  private async queueText(chatKey: string, lang: Lang, key: string): Promise<Outbound[]> {
    const outbound: Outbound[] = [{ kind: 'text', text: this.catalogue.render(lang, { key }) }];
    await this.store.enqueue(chatKey, this.entries(outbound));
    return outbound;
  }

  private ttl(): number {
    return this.opts.conversationIdleMs * 2; // kept past the idle limit, then collected
  }

  private guessLang(inbound: Inbound): Lang {
    return langOf(inbound, this.opts.defaultLang);
  }
}
