import type { App } from './app.js';
import type { HttpServer } from '../infra/http/server.js';

/** A channel or background worker that runs while the assistant runs. */
export interface Runner {
  name: string;
  /** True when the configuration turns it on. */
  enabled(app: App): boolean;
  /** Starts it; returns how to stop it (finish work in flight, then return). */
  start(app: App, http: HttpServer | undefined): Promise<() => Promise<void>>;
  /** A user-facing chat channel (when none is enabled, the console chat opens). */
  isChatChannel?: boolean;
}

const runners: Runner[] = [];

/** Registers a channel or worker (Telegram, Slack, outbox sender, payment scheduler …). */
export function registerRunner(r: Runner): void {
  runners.push(r);
}

/** The registered runners that the configuration enables. */
export function enabledRunners(app: App): Runner[] {
  return runners.filter((r) => r.enabled(app));
}
