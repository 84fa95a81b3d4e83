import type { HttpServer } from '../infra/http/server.js';
import type { App } from './app.js';

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
