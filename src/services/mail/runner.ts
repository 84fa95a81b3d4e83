import { startLoop } from '../../lib/loop.js';
import { closeMailTransport, sendPendingMail, type MailHost } from './sender.js';

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

/** Starts the outbox sender loop for a host; returns how to stop it (waits for the pass in flight). */
export function startMailSender(host: MailHost): () => Promise<void> {
  const loop = startLoop({ name: 'mail sender', pass: () => sendPendingMail(host), intervalMs: POLL_MS, firstMs: 100, log: host.log });
  kickers.add(loop.kick);
  return async () => {
    kickers.delete(loop.kick);
    await loop.stop();
    closeMailTransport(host);
  };
}
