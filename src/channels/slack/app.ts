import { App, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import { SlackHttpReceiver, type RouteTarget } from './receiver.js';
import { socketModeReceiver } from './socket-receiver.js';

/** Options of {@link createSlackApp}; the names follow the `SLACK_*` variables. */
export interface SlackAppOptions {
  /** `SLACK_BOT_TOKEN` (xoxb-…). */
  token: string;
  /** `SLACK_SIGNING_SECRET`; required over HTTP. */
  signingSecret?: string;
  /** `SLACK_APP_TOKEN` (xapp-…): Socket Mode instead of HTTP. */
  appToken?: string;
  /** `SLACK_API_URL`: Web API root, e.g. a test fake's `http://127.0.0.1:PORT/api/`. */
  apiUrl?: string;
  /** The HTTP server to mount `POST /slack/events` on; required over HTTP. */
  http?: RouteTarget;
  log: Logger;
  /** Ack deadline over HTTP (default 3001 ms, as Bolt's). */
  ackTimeoutMs?: number;
  /** Who the bot is, from an `auth.test` already made: Bolt then makes none when constructed. */
  bot?: { botId: string; botUserId: string };
  /** Retries of the listeners' Web API client (Bolt's default retries for about 30 minutes). */
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
}

/** A Slack app that cannot be built from the options given. */
export class SlackConfigError extends Error {
  readonly code = 'SLACK.CONFIG';
}

/**
 * Builds the Bolt app: over our HTTP server with {@link SlackHttpReceiver}, or over Socket Mode
 * (Bolt's `SocketModeReceiver`, events acknowledged after their listeners: socket-receiver.ts) when an app token is given. Register listeners, then `app.start()`.
 * Bolt calls `auth.test` as soon as the app is constructed, so the Web API must be reachable by then.
 *
 * @example
 * const app = createSlackApp({ token, signingSecret, apiUrl, http, log });
 * app.command('/omnipay', async ({ ack }) => ack({ text: 'hello' }));
 * await app.start();
 */
export function createSlackApp(o: SlackAppOptions): App {
  const logger = boltLogger(o.log);
  // Bolt hands clientOptions to every WebClient it makes, including Socket Mode's own for apps.connections.open.
  const clientOptions = { ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}), ...(o.retryConfig ? { retryConfig: o.retryConfig } : {}) };
  const bot = o.bot ? { botId: o.bot.botId, botUserId: o.bot.botUserId } : {};
  if (o.appToken) {
    const receiver = socketModeReceiver({ appToken: o.appToken, logger, clientOptions, log: o.log });
    return new App({ token: o.token, receiver, logger, clientOptions, ...bot });
  }
  if (!o.signingSecret) throw new SlackConfigError('SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN selects Socket Mode');
  if (!o.http) throw new SlackConfigError('the Slack app over HTTP needs the HTTP server (HTTP_PORT)');
  const receiver = new SlackHttpReceiver({ signingSecret: o.signingSecret, http: o.http, log: o.log, ...(o.ackTimeoutMs ? { ackTimeoutMs: o.ackTimeoutMs } : {}) });
  return new App({ token: o.token, receiver, logger, clientOptions, ...bot });
}

/** Bolt's logger interface over a pino logger; Bolt and its Web API client share it. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ lib: 'bolt' });
  // Bolt logs with several positional arguments (strings and errors); one message keeps pino's shape.
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    // The level is ours to set (LOG_LEVEL); Bolt asking to change it is ignored.
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(child.level),
    setName: () => undefined,
  };
}

function toBoltLevel(level: string): LogLevel {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
}
