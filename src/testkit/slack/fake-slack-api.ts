import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs, readBody, sendJson, tokenOf, uploadedBytes } from './fake-slack-http.js';
import { FakeSocketMode } from './fake-socket-mode.js';
import { FakeSlackState, SlackApiError, type FakeSlackChannel, type FakeSlackMessage, type FakeSlackUser } from './fake-slack-state.js';
import { freshId } from './payloads.js';
import { waitUntil } from './wait.js';

export type * from './fake-slack-state.js';
export type { EnvelopeOptions, EnvelopeType, SocketAck } from './fake-socket-mode.js';

/**
 * An in-process fake of Slack's Web API for tests: Bolt's real `WebClient` talks to it through
 * `clientOptions.slackApiUrl` (`SLACK_API_URL`). It records every call, keeps what the app posted
 * (fake-slack-state.ts), takes file uploads, records `response_url` POSTs, serves Socket Mode
 * (fake-socket-mode.ts), and fails methods on request (`fail`).
 *
 * @example
 * const fake = await FakeSlack.start({ users: [{ id: 'U1', name: 'sam' }] });
 * // new App({ token: fake.botToken, clientOptions: { slackApiUrl: fake.apiUrl }, … })
 * fake.fail('chat.postMessage', 'ratelimited', { retryAfter: 1 });
 * const call = await fake.waitForCall('chat.postMessage');
 */

/** One recorded call: a Web API method, an upload (`upload`) or a `response_url` POST (`response_url`). */
export interface FakeSlackCall {
  method: string;
  /** Parsed arguments (form or JSON; JSON-valued form fields such as `blocks` decoded). */
  args: Record<string, unknown>;
  token?: string;
  /** HTTP status the fake answered. */
  status: number;
  /** Slack's error string when the call failed. */
  error?: string;
  at: number;
}

/** A POST to a `response_url` the fake handed out. */
export interface FakeSlackResponse {
  url: string;
  body: Record<string, unknown>;
  at: number;
}

/** Options of {@link FakeSlack.start}. */
export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  users?: FakeSlackUser[];
  channels?: FakeSlackChannel[];
}

/** Options of {@link FakeSlack.fail}. */
export interface FailOptions {
  /** How many of the next calls fail (default 1). */
  times?: number;
  /** For `ratelimited`: the `Retry-After` seconds (default 1). */
  retryAfter?: number;
  /** For `upload` and `response_url`: the HTTP status (default 404 / 500). */
  status?: number;
}

interface Failure {
  error: string;
  left: number;
  retryAfter: number;
  status?: number;
}

/** The fake Slack server. */
export class FakeSlack {
  /** Every call, in the order received. */
  readonly calls: FakeSlackCall[] = [];
  /** Every `response_url` POST. */
  readonly responses: FakeSlackResponse[] = [];
  readonly botToken: string;
  readonly appToken: string;
  readonly state: FakeSlackState;
  readonly socket: FakeSocketMode;
  private readonly failures = new Map<string, Failure[]>();
  private readonly listeners = new Set<() => void>();
  private port = 0;

  private constructor(private readonly server: Server, o: FakeSlackOptions) {
    this.botToken = o.botToken ?? 'xoxb-fake-bot-token';
    this.appToken = o.appToken ?? 'xapp-fake-app-token';
    this.state = new FakeSlackState({ teamId: o.teamId ?? 'T0OMNIPAY', team: 'OMNIPAY', botUserId: o.botUserId ?? 'U0FAKEBOT', botId: o.botId ?? 'B0FAKEBOT' });
    for (const u of o.users ?? []) this.addUser(u);
    for (const c of o.channels ?? []) this.addChannel(c);
    this.socket = new FakeSocketMode(server, () => this.url);
  }

  /** Starts a fake on a free port of 127.0.0.1. */
  static async start(o: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake!: FakeSlack;
    const server = createServer((req, res) => void fake.dispatch(req, res));
    // Longer than undici keeps idle sockets (4 s): a reused connection is never reset under load.
    server.keepAliveTimeout = 65_000;
    fake = new FakeSlack(server, o);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  /** The fake's root, `http://127.0.0.1:PORT/`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** The Web API root to give Bolt (`SLACK_API_URL`). */
  get apiUrl(): string {
    return `${this.url}api/`;
  }

  /** A fresh `response_url`; POSTs to it land in {@link responses}. */
  responseUrl(): string {
    return `${this.url}response/${freshId('R')}`;
  }

  /** Adds a member for `users.info`. */
  addUser(u: FakeSlackUser): void {
    this.state.users.set(u.id, u);
  }

  /** Adds a channel for `conversations.info` (and `not_in_channel` when `isMember: false`). */
  addChannel(c: FakeSlackChannel): void {
    this.state.channels.set(c.id, c);
  }

  /** Makes the next calls of a method fail with Slack's error string; `ratelimited` answers 429 with `Retry-After`. */
  fail(method: string, error: string, o: FailOptions = {}): void {
    const list = this.failures.get(method) ?? [];
    list.push({ error, left: o.times ?? 1, retryAfter: o.retryAfter ?? 1, ...(o.status ? { status: o.status } : {}) });
    this.failures.set(method, list);
  }

  /** The calls of one method. */
  callsTo(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The messages of a channel (and of one thread when `threadTs` is given), deleted ones left out. */
  messages(channel: string, o: { threadTs?: string; includeDeleted?: boolean } = {}): FakeSlackMessage[] {
    return this.state.messages.filter((m) => m.channel === channel && (o.includeDeleted || !m.deleted) && (o.threadTs === undefined || m.threadTs === o.threadTs));
  }

  /** Waits for a call of `method` (optionally matching `match`) that succeeded; earlier calls count. */
  waitForCall(method: string, match: (c: FakeSlackCall) => boolean = () => true, timeoutMs = 5000): Promise<FakeSlackCall> {
    return this.waitFor(() => this.calls.find((c) => c.method === method && c.status === 200 && c.error === undefined && match(c)), timeoutMs, `a successful ${method} call`);
  }

  /** Waits for a `response_url` POST (optionally matching `match`); earlier ones count. */
  waitForResponse(match: (r: FakeSlackResponse) => boolean = () => true, timeoutMs = 5000): Promise<FakeSlackResponse> {
    return this.waitFor(() => this.responses.find(match), timeoutMs, 'a response_url POST');
  }

  /** Waits until `probe` returns something; checked after every request and every 20 ms (see wait.ts). */
  waitFor<T>(probe: () => T | undefined, timeoutMs = 5000, what = 'the condition'): Promise<T> {
    const detail = () => `calls so far: ${this.calls.map((c) => `${c.method}(${c.error ?? c.status})`).join(', ') || 'none'}`;
    return waitUntil(probe, { timeoutMs, what, wake: this.listeners, detail });
  }

  /** Stops the server and closes Socket Mode connections. */
  async close(): Promise<void> {
    await this.socket.close();
    await new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    try {
      const raw = await readBody(req);
      if (req.method !== 'POST') sendJson(res, 405, { ok: false, error: 'method_not_allowed' });
      else if (path.startsWith('/api/')) await this.api(path.slice(5), req, raw, res);
      else if (path.startsWith('/upload/')) await this.upload(path.slice(8), req, raw, res);
      else if (path.startsWith('/response/')) await this.response(req, raw, res);
      else sendJson(res, 404, { ok: false, error: 'not_found' });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: (err as Error).message });
    } finally {
      for (const l of [...this.listeners]) l();
    }
  }

  private record(call: Omit<FakeSlackCall, 'at'>): void {
    this.calls.push({ ...call, at: Date.now() });
  }

  /** The failure due for this call of `method`, if one was asked for. */
  private takeFailure(method: string): Failure | undefined {
    const f = this.failures.get(method)?.[0];
    if (!f) return undefined;
    f.left -= 1;
    if (f.left <= 0) this.failures.get(method)!.shift();
    return f;
  }

  private async api(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    let args: Record<string, unknown> = {};
    try {
      args = await parseArgs(req.headers['content-type'], raw);
    } catch {
      this.record({ method, args, status: 200, error: 'invalid_form_data' });
      sendJson(res, 200, { ok: false, error: 'invalid_form_data' });
      return;
    }
    const token = tokenOf(req, args);
    const base = { method, args, ...(token !== undefined ? { token } : {}) };
    const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const error = body.ok === false ? String(body.error) : undefined;
      this.record({ ...base, status, ...(error !== undefined ? { error } : {}) });
      sendJson(res, status, body, headers);
    };
    const failure = this.takeFailure(method);
    if (failure?.error === 'ratelimited') return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
    if (failure) return answer(200, { ok: false, error: failure.error });
    const refused = this.checkToken(method, token);
    if (refused) return answer(200, { ok: false, error: refused });
    if (method === 'apps.connections.open') return answer(200, { ok: true, url: this.socket.issueUrl() });
    const impl = this.state.methods[method];
    if (!impl) return answer(200, { ok: false, error: 'unknown_method' });
    try {
      answer(200, { ok: true, ...impl(args, this.url) });
    } catch (err) {
      if (!(err instanceof SlackApiError)) throw err;
      answer(200, { ok: false, error: err.error });
    }
  }

  /** Slack's token rules: app-level tokens only open Socket Mode connections, bot tokens do the rest. */
  private checkToken(method: string, token: string | undefined): string | undefined {
    if (token === undefined) return 'not_authed';
    const wanted = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (token === wanted) return undefined;
    return token === this.appToken || token === this.botToken ? 'not_allowed_token_type' : 'invalid_auth';
  }

  private async upload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const failure = this.takeFailure('upload');
    if (failure) {
      this.record({ method: 'upload', args: { fileId }, status: failure.status ?? 500, error: failure.error });
      res.writeHead(failure.status ?? 500).end(failure.error);
      return;
    }
    const data = await uploadedBytes(req.headers['content-type'], raw);
    try {
      this.state.upload(fileId, data);
    } catch {
      this.record({ method: 'upload', args: { fileId }, status: 404, error: 'file_not_found' });
      res.writeHead(404).end('file_not_found');
      return;
    }
    this.record({ method: 'upload', args: { fileId, length: data.length }, status: 200 });
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${data.length}`);
  }

  private async response(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url).toString();
    const failure = this.takeFailure('response_url');
    if (failure) {
      this.record({ method: 'response_url', args: { url }, status: failure.status ?? 404, error: failure.error });
      res.writeHead(failure.status ?? 404).end(failure.error);
      return;
    }
    const body = await parseArgs(req.headers['content-type'] ?? 'application/json', raw);
    this.record({ method: 'response_url', args: { url, ...body }, status: 200 });
    this.responses.push({ url, body, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }
}
