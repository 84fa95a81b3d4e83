import type { Logger } from './logger.js';

/** A background loop started by {@link startLoop}. */
export interface Loop {
  /** Asks for a pass now (or right after the pass in flight). */
  kick(): void;
  /** Stops the loop and waits for the pass in flight. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` again and again, `intervalMs` after each pass ends, first after `firstMs`. A failing
 * pass is logged and the loop goes on; a kick during a pass runs one more pass right after it.
 * Workers (mail outbox, payment scheduler, notice dispatcher) are each one of these.
 */
export function startLoop(o: { name: string; pass: () => Promise<unknown>; intervalMs: number; firstMs?: number; log: Logger }): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  let again = false;
  const tick = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = o
      .pass()
      .catch((err: Error) => o.log.warn({ err: err.message, loop: o.name }, `${o.name} pass failed`))
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else timer = setTimeout(tick, o.intervalMs);
      });
  };
  timer = setTimeout(tick, o.firstMs ?? o.intervalMs);
  return {
    kick: tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
