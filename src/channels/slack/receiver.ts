import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { AuthorizationError, ReceiverMultipleAckError, verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Handler } from '../../infra/http/server.js';

/**
 * A Bolt receiver on our own HTTP server. Bolt's `HTTPReceiver` and `ExpressReceiver` want to own
 * the socket and read the body themselves; our server has already read it (the webhooks need the
 * exact bytes too), so this one verifies the v0 signature on the bytes it is handed and then builds
 * the same `ReceiverEvent` those receivers build.
 */

/** What the receiver needs of the HTTP server: a way to add its route. */
export interface RouteTarget {
  route(method: string, path: string, handler: Handler): void;
}

/** Options of {@link SlackHttpReceiver}. */
export interface SlackHttpReceiverOptions {
  signingSecret: string;
  http: RouteTarget;
  log: Logger;
  /** The request URL configured in the Slack app. */
  path?: string;
  /** How long a listener has to call `ack()`; Slack itself gives up after 3 s. */
  ackTimeoutMs?: number;
  /** Clock for the timestamp check (tests). */
  now?: () => number;
  /** Extra context for listeners, as Bolt's `customPropertiesExtractor`. */
  customProperties?: (req: IncomingMessage) => Record<string, unknown>;
}

/** Default request URL of the desk (CONTRACT.md). */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Slack's replay window: a request signed longer ago than this is refused. */
const MAX_SKEW_SECONDS = 5 * 60;

/** A Bolt `Receiver` mounted on our `HttpServer` at `POST /slack/events`. */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private mounted = false;
  private running = false;
  private readonly path: string;
  private readonly ackTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly o: SlackHttpReceiverOptions) {
    this.path = o.path ?? SLACK_EVENTS_PATH;
    // Bolt's own default is 3001 ms: one past Slack's deadline, so a listener acking at 3 s still wins.
    this.ackTimeoutMs = o.ackTimeoutMs ?? 3001;
    this.now = o.now ?? Date.now;
  }

  /** Called by Bolt's `App` constructor. */
  init(app: App): void {
    this.app = app;
  }

  /** Mounts the route (once) and starts taking requests; `app.start()` calls it. */
  async start(): Promise<void> {
    if (!this.mounted) {
      this.o.http.route('POST', this.path, (req, body, res) => this.handle(req, body, res));
      this.mounted = true;
    }
    this.running = true;
  }

  /** Stops taking requests (the server has no way to remove a route, so they are answered 503). */
  async stop(): Promise<void> {
    this.running = false;
  }

  /** One request from Slack: verify, parse, hand to Bolt, answer when a listener acks. */
  async handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const app = this.app;
    if (!this.running || !app) {
      res.writeHead(503).end();
      return;
    }
    const text = raw.toString('utf8');
    const refused = this.verify(req, text);
    if (refused) {
      this.o.log.warn({ path: this.path, reason: refused }, 'slack request refused');
      res.writeHead(401).end();
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(req.headers['content-type'], text);
    } catch (err) {
      this.o.log.warn({ reason: (err as Error).message }, 'slack request body malformed');
      res.writeHead(400).end();
      return;
    }
    if (body.ssl_check === '1') {
      res.writeHead(200).end();
      return;
    }
    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    await this.dispatch(app, req, body, res);
  }

  /** Why the request is refused, or undefined when it is genuine and fresh. */
  private verify(req: IncomingMessage, text: string): string | undefined {
    const signature = req.headers['x-slack-signature'];
    const stamp = req.headers['x-slack-request-timestamp'];
    if (typeof signature !== 'string' || typeof stamp !== 'string') return 'signature headers missing';
    const ts = Number(stamp);
    if (!/^\d+$/.test(stamp)) return 'timestamp not a number';
    // verifySlackRequest only refuses old timestamps; a far-future one is as much a replay risk.
    if (ts - Math.floor(this.now() / 1000) > MAX_SKEW_SECONDS) return 'timestamp in the future';
    try {
      verifySlackRequest({
        signingSecret: this.o.signingSecret,
        body: text,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
        nowMilliseconds: this.now(),
      });
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /**
   * Builds the `ReceiverEvent`, runs Bolt, and makes sure exactly one HTTP answer is written.
   * An Events API delivery is answered only when its listeners are done (Bolt's
   * `processBeforeResponse`): Bolt acks events before running them, and a 200 written then would
   * tell Slack a relay had landed that a crash or an error could still lose. Answered after, a
   * failure is a 500 (or no answer at all) and Slack delivers the event again.
   */
  private async dispatch(app: App, req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const afterListeners = body.type === 'event_callback';
    let held: { response: unknown } | undefined;
    let acked = false;
    let answered!: () => void;
    const settled = new Promise<void>((resolve) => (answered = resolve));
    const kind = describe(body);
    const timer = setTimeout(() => {
      if (acked) return;
      this.o.log.error({ ...kind, timeoutMs: this.ackTimeoutMs }, 'slack request not acknowledged in time; is there a listener that calls ack()?');
      if (!res.headersSent) res.writeHead(404).end();
      answered();
    }, this.ackTimeoutMs);
    const finish = () => {
      acked = true;
      clearTimeout(timer);
      answered();
    };
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) throw new ReceiverMultipleAckError();
      finish();
      if (res.headersSent) {
        this.o.log.warn(kind, 'slack ack() came after the deadline; Slack has already shown an error');
        return;
      }
      if (afterListeners) held = { response };
      else writeContent(res, response);
    };
    const event: ReceiverEvent = {
      body,
      ack,
      retryNum: retryNum(req.headers['x-slack-retry-num']),
      retryReason: header(req.headers['x-slack-retry-reason']),
      customProperties: this.o.customProperties?.(req) ?? {},
    };
    try {
      await app.processEvent(event);
      if (held && !res.headersSent) writeContent(res, held.response);
    } catch (err) {
      if (res.headersSent) {
        this.o.log.error({ ...kind, err: (err as Error).message }, 'slack listener failed after ack()');
      } else {
        // Bolt's HTTPReceiver answers 401 when authorize() failed and 500 for anything else.
        const status = err instanceof AuthorizationError ? 401 : 500;
        this.o.log.error({ ...kind, status, err: (err as Error).message }, afterListeners ? 'slack event listener failed; answered so that Slack delivers it again' : 'slack listener failed before ack()');
        res.writeHead(status).end();
      }
      finish();
    }
    // Stay in flight until answered, so the server's graceful close waits for this request too.
    await settled;
  }
}

/** Parses a Slack request body: JSON (Events API) or a form (commands; interactions as `payload=`). */
export function parseBody(contentType: string | undefined, text: string): Record<string, unknown> {
  if ((contentType ?? '').split(';')[0]?.trim() === 'application/x-www-form-urlencoded') {
    const form = parseQuery(text);
    if (typeof form.payload === 'string') return asObject(JSON.parse(form.payload));
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(form)) flat[k] = Array.isArray(v) ? v[0] : v;
    return flat;
  }
  return asObject(JSON.parse(text));
}

function asObject(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body is not an object');
  return v as Record<string, unknown>;
}

/** Writes an ack's body as Bolt does: nothing, plain text, or JSON. */
function writeContent(res: ServerResponse, response: unknown): void {
  if (response === undefined || response === null || response === '') res.writeHead(200).end();
  else if (typeof response === 'string') res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(response);
  else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function retryNum(v: string | string[] | undefined): number | undefined {
  const n = Number.parseInt(header(v) ?? '', 10);
  return Number.isNaN(n) ? undefined : n;
}

/** A log-safe description of a request: its kind and ids, never its text. */
function describe(body: Record<string, unknown>): Record<string, unknown> {
  const event = body.event as { type?: unknown } | undefined;
  return {
    type: body.type ?? (body.command ? 'slash_command' : undefined),
    command: body.command,
    eventType: event?.type,
    eventId: body.event_id,
  };
}
