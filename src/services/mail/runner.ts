import type { App } from '../../app/app.js';
import { registerRunner } from '../../app/channels.js';
import { closeMailTransport, sendPendingMail } from './sender.js';

/** How often the sender looks for due mail when nobody kicks it. */
const POLL_MS = 1_000;

const kickers = new Set<() => void>();

/**
 * Asks every running outbox sender in this process for a pass now. Call it after the transaction
 * that queued a mail has committed, so the mail leaves at once instead of at the next poll (≤ 1 s).
 * Harmless when no sender runs (CLI, tests): the rows stay queued.
 * @example
 * await db.tx((tx) => enqueueMail(tx, renderMail('verification', lang, to, vars)));
 * kickMail();
 */
export function kickMail(): void {
  for (const k of kickers) k();
}

/** Starts the outbox sender loop for an app; returns how to stop it (waits for the pass in flight). */
export function startMailSender(app: App): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  let again = false;
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true; // a kick during a pass: run once more right after it
      return;
    }
    clearTimeout(timer);
    running = sendPendingMail(app)
      .catch((err: Error) => app.log.warn({ err: err.message }, 'mail sender pass failed'))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else timer = setTimeout(tick, POLL_MS);
      });
  };
  kickers.add(tick);
  timer = setTimeout(tick, 100);
  return async () => {
    stopped = true;
    kickers.delete(tick);
    clearTimeout(timer);
    await running;
    closeMailTransport(app);
  };
}

registerRunner({
  name: 'mail-sender',
  enabled: () => true,
  async start(app) {
    return startMailSender(app);
  },
});
