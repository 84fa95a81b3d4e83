import { GrammyError, type Api, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Logger } from '../../lib/logger.js';
import { ALLOWED_UPDATES } from './translate.js';

/** How long to wait before asking again while only updates already being handled are waiting. */
const BUSY_RECHECK_MS = 250;

/**
 * Decides the `getUpdates` offset so that Telegram forgets an update only once it was handled.
 *
 * `getUpdates(offset)` confirms every update below `offset`. The runner's own fetcher confirms a
 * batch as soon as it asks for the next one, while the batch may still be in flight — a crash then
 * loses it. Here the offset stops at the oldest update still being handled: a crash (or stop)
 * leaves it unconfirmed, Telegram delivers it again after the restart, and updates that had been
 * handled before are skipped by the engine's de-duplication on `update_id` (`tg:<id>`).
 * Updates fetched again while still in flight are not handed out twice.
 */
export class UpdateWatermark {
  private readonly inFlight = new Set<number>();
  private highest = -1;
  private readonly waiters = new Set<() => void>();

  /** The offset that confirms exactly the updates handled so far (and none still in flight). */
  get offset(): number {
    return this.inFlight.size ? Math.min(...this.inFlight) : this.highest + 1;
  }

  /** Updates handed out and not yet finished. */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * Fetches the next updates not handed out before. While some are in flight it asks Telegram
   * without waiting (they would come back at once anyway) and rechecks a little later.
   */
  async next(args: { limit: number; timeout: number }, signal: AbortSignal, getUpdates: (a: { offset: number; limit: number; timeout: number }, s: AbortSignal) => Promise<Update[]>): Promise<Update[]> {
    for (;;) {
      const busy = this.inFlight.size > 0;
      const updates = await getUpdates({ offset: this.offset, limit: Math.min(100, args.limit + this.inFlight.size), timeout: busy ? 0 : args.timeout }, signal);
      // The same update twice in one answer (a redelivery) is handed out once.
      const fresh = updates.filter((u, i) => u.update_id > this.highest && updates.findIndex((x) => x.update_id === u.update_id) === i);
      if (fresh.length) {
        for (const u of fresh) this.inFlight.add(u.update_id);
        this.highest = Math.max(this.highest, ...fresh.map((u) => u.update_id));
        return fresh;
      }
      if (!busy || signal.aborted) return [];
      await this.changed(BUSY_RECHECK_MS, signal);
    }
  }

  /** Marks an update finished (handled or failed for good). */
  done(updateId: number): void {
    this.inFlight.delete(updateId);
    for (const w of [...this.waiters]) w();
  }

  /** Waits until no update is in flight, or the deadline passes; true when idle. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size && Date.now() < deadline) await this.changed(Math.min(100, deadline - Date.now()));
    return this.inFlight.size === 0;
  }

  private changed(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.waiters.add(finish);
      signal?.addEventListener('abort', finish);
    });
  }
}

/** A running long-polling loop. */
export interface Polling {
  /** Stops fetching, waits for updates in flight, and confirms the handled ones to Telegram. */
  stop(): Promise<void>;
  isRunning(): boolean;
}

/** What {@link startPolling} needs. */
export interface PollingOptions {
  bot: Bot;
  /** A client without the retrying transformers: the runner retries `getUpdates` itself. */
  pollApi: Api;
  log: Logger;
  /** Long-poll timeout in seconds. */
  timeoutSeconds?: number;
  /** Called once when polling stops for good on its own (409 Conflict, 401, or retries exhausted). */
  onFatal(message: string): void;
}

/**
 * Long polling with `@grammyjs/runner`: updates of different chats are handled concurrently; the
 * bot's `sequentialize` middleware keeps each chat's updates in order. The runner gets a
 * `getUpdates` that goes through {@link UpdateWatermark}, so a crash never loses fetched updates.
 * A 409 Conflict (another process polls the same bot) stops this poller with a clear message.
 */
export function startPolling(o: PollingOptions): Polling {
  const mark = new UpdateWatermark();
  let fatal = false;
  const adapter = {
    handleUpdate: async (u: Update) => {
      try {
        await o.bot.handleUpdate(u);
      } finally {
        mark.done(u.update_id);
      }
    },
    errorHandler: (err: unknown) => {
      o.log.error({ err: (err as Error).message }, 'telegram: update handling failed');
    },
    api: {
      getUpdates: (args: { offset: number; limit: number; timeout: number }, signal: AbortSignal) =>
        mark.next(args, signal, async (a, s) => {
          try {
            return await o.pollApi.getUpdates({ ...a, allowed_updates: [...ALLOWED_UPDATES] }, s as never);
          } catch (err) {
            if (s.aborted) throw err;
            if (err instanceof GrammyError && err.error_code === 409 && /webhook/i.test(err.description)) {
              fatal = true;
              o.onFatal('telegram: a webhook was set for this bot meanwhile (409 Conflict from getUpdates: another process serves it in webhook mode); this poller stops.');
            } else if (err instanceof GrammyError && err.error_code === 409) {
              fatal = true;
              o.onFatal(
                'telegram: another process is polling this bot (409 Conflict from getUpdates); this poller stops. ' +
                  'Run one poller per bot, or set TELEGRAM_WEBHOOK_URL to serve one bot from several processes.',
              );
            } else if (err instanceof GrammyError && err.error_code === 401) {
              fatal = true;
              o.onFatal('telegram: the bot token was revoked (401 Unauthorized from getUpdates); this poller stops.');
            } else o.log.warn({ err: err instanceof GrammyError ? err.description : (err as Error).name }, 'telegram: getUpdates failed; retrying');
            throw err;
          }
        }),
    },
  };
  // The runner types its AbortSignal with a Node shim; the object is the platform's own.
  const handle: RunnerHandle = run<Update, unknown>(adapter as never, {
    runner: { fetch: { timeout: o.timeoutSeconds ?? 30, allowed_updates: ALLOWED_UPDATES }, retryInterval: 2000, silent: true },
    sink: { concurrency: 200 },
  });
  handle.task()?.catch((err: Error) => {
    if (!fatal) o.onFatal(`telegram: polling stopped: ${err instanceof GrammyError ? err.description : err.message}`);
  });
  return {
    isRunning: () => handle.isRunning(),
    async stop() {
      if (handle.isRunning()) await handle.stop().catch(() => undefined);
      const idle = await mark.drained(15_000);
      if (!idle) o.log.warn({ pending: mark.pending }, 'telegram: stopped with updates still in flight; Telegram will deliver them again');
      if (fatal) return;
      // Confirm what was handled, so a restart does not fetch it again (it would be skipped anyway).
      await o.pollApi.getUpdates({ offset: mark.offset, limit: 1, timeout: 0 }).catch(() => undefined);
    },
  };
}
