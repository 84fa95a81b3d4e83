import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'grammy/types';
import type { Logger } from '../../lib/logger.js';
import type { Handler } from '../../infra/http/server.js';

/** Where Telegram posts updates in webhook mode. */
export const WEBHOOK_PATH = '/telegram/webhook';

/** Is `given` the configured secret? Compared in constant time. */
export function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Counts webhook requests being handled, so shutdown can wait for them. */
export class InFlight {
  private n = 0;

  /** Runs `fn` counted. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.n++;
    try {
      return await fn();
    } finally {
      this.n--;
    }
  }

  /** Waits until nothing is in flight or the deadline passes; true when idle. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.n > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.n === 0;
  }
}

/**
 * `POST /telegram/webhook`: checks `X-Telegram-Bot-Api-Secret-Token` (401 and nothing processed
 * without it), then handles the update before answering 200, so Telegram delivers the next update
 * of a chat only after this one took effect, and delivers it again if this process dies meanwhile
 * (the engine skips updates it has handled before).
 */
export function webhookHandler(o: { secret: string; log: Logger; inFlight: InFlight; handle(update: Update): Promise<void> }): Handler {
  return async (req, body, res) => {
    if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], o.secret)) {
      o.log.warn({ ip: req.socket.remoteAddress }, 'telegram: webhook request without the right secret token refused');
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
      return;
    }
    let update: Update;
    try {
      update = JSON.parse(body.toString('utf8')) as Update;
      if (typeof update?.update_id !== 'number') throw new Error('no update_id');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad update');
      return;
    }
    await o.inFlight.run(async () => {
      try {
        await o.handle(update);
      } catch (err) {
        // Answering an error would make Telegram redeliver an update the engine already claimed.
        o.log.error({ err: (err as Error).message, update: update.update_id }, 'telegram: webhook update failed');
      }
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  };
}
