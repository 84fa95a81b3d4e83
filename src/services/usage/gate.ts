/**
 * At most `size` tasks at once in this process; the rest wait in order. Card usage bursts on one
 * card serialize on that card's row lock anyway, so queueing them here keeps database connections
 * free for everything else (and away from the pool's connect timeout).
 */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Runs `fn` when a place is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
