/** The source of time for every decision that depends on it (expiries, lockouts, sessions). */
export interface Clock {
  now(): Date;
}

/** Real time, optionally shifted by a fixed offset (the `CLOCK_OFFSET_MS` test hook). */
export class SystemClock implements Clock {
  constructor(private readonly offsetMs = 0) {}
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** Real time plus an offset that tests and conversation scripts can advance. */
export class AdjustableClock implements Clock {
  constructor(private offsetMs = 0) {}
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
