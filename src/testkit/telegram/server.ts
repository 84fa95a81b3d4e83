import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseJsonish, parseRequest, readBody, send, sleep } from './http.js';
import { FakeBotMethods } from './methods.js';
import { ApiError, type Failure, type FakeCall, type FakeUpdate, type Poll } from './types.js';

/**
 * The fake's transport: HTTP requests to `/bot<token>/<method>`, injected failures, `getUpdates`
 * long polling with offsets and 409s, and webhook pushes (round-robin across targets).
 */
export abstract class FakeBotServer extends FakeBotMethods {
  protected readonly recorded: FakeCall[] = [];
  protected updateSeq = 1000;
  protected readonly failures = new Map<string, Failure[]>();
  protected conflicts = 0;
  protected readonly drops = new Map<string, number>();
  protected targets: string[] | undefined;
  protected rr = 0;
  protected pumping = false;
  protected webhookConcurrency = 1;
  protected readonly waiters = new Set<() => void>();
  /** Every webhook delivery attempt: update id, target URL and the HTTP status (0 = no connection). */
  readonly deliveries: { updateId: number; url: string; status: number }[] = [];
  protected closed = false;
  /** Updates the user side makes are returned, not queued or pushed (see `FakeTelegram.deliverManually`). */
  protected manual = false;

  protected async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec((req.url ?? '').split('?')[0]!);
    const body = await readBody(req);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m as unknown as [string, string, string];
    let params: Record<string, unknown> = {};
    let files: FakeCall['files'] = {};
    try {
      ({ params, files } = parseRequest(req, body));
    } catch (err) {
      return send(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${(err as Error).message}` });
    }
    for (const [k, v] of new URL(req.url ?? '/', 'http://x').searchParams) params[k] ??= parseJsonish(v);
    const call: FakeCall = { method, params, files, status: 200, at: Date.now() };
    this.recorded.push(call);
    const reply = (status: number, payload: unknown) => {
      call.status = status;
      send(res, status, payload);
    };
    if (token !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const drops = this.drops.get(method) ?? 0;
    if (drops > 0) {
      this.drops.set(method, drops - 1);
      call.status = 0;
      req.socket.destroy();
      return;
    }
    const failure = this.failures.get(method)?.[0];
    if (failure) {
      if (--failure.count <= 0) this.failures.get(method)!.shift();
      return reply(failure.code, { ok: false, error_code: failure.code, description: failure.description, ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}) });
    }
    try {
      if (method === 'getUpdates') return this.getUpdates(params, res, call);
      const result = this.dispatch(method, params, files);
      reply(200, { ok: true, result });
      this.wake();
    } catch (err) {
      if (err instanceof ApiError) return reply(err.code, { ok: false, error_code: err.code, description: err.message, ...(err.retryAfter ? { parameters: { retry_after: err.retryAfter } } : {}) });
      reply(500, { ok: false, error_code: 500, description: `Internal Server Error: ${(err as Error).message}` });
    }
  }

  protected getUpdates(p: Record<string, unknown>, res: ServerResponse, call: FakeCall): void {
    const answer = (status: number, payload: unknown) => {
      call.status = status;
      send(res, status, payload);
    };
    if (this.webhook) return answer(409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    if (this.conflicts > 0) {
      this.conflicts--;
      return answer(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    }
    // A newer request ends the older one, as on Telegram.
    if (this.poll) this.answerPollConflict();
    const offset = p.offset === undefined ? undefined : Number(p.offset);
    if (offset !== undefined && offset > 0) this.confirm(offset);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const allowed = Array.isArray(p.allowed_updates) && p.allowed_updates.length ? (p.allowed_updates as string[]) : undefined;
    const ready = this.take(limit, allowed);
    const timeout = Number(p.timeout ?? 0);
    if (ready.length || timeout <= 0 || this.closed) return answer(200, { ok: true, result: ready });
    const poll: Poll = {
      res,
      limit,
      ...(allowed ? { allowed } : {}),
      timer: setTimeout(() => {
        if (this.poll === poll) this.answerPoll([]);
      }, timeout * 1000),
    };
    this.poll = poll;
    res.on('close', () => {
      if (this.poll === poll && !res.writableEnded) {
        clearTimeout(poll.timer);
        this.poll = undefined;
      }
    });
  }

  protected confirm(offset: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]!.update_id < offset) this.pending.splice(i, 1);
  }

  protected take(limit: number, allowed?: string[]): FakeUpdate[] {
    const ok = (u: FakeUpdate) => !allowed || Object.keys(u).some((k) => k !== 'update_id' && allowed.includes(k));
    // Updates of kinds the bot did not ask for are confirmed silently, as Telegram drops them.
    for (let i = this.pending.length - 1; i >= 0; i--) if (!ok(this.pending[i]!)) this.pending.splice(i, 1);
    return [...this.pending].sort((a, b) => a.update_id - b.update_id).slice(0, limit).map((u) => structuredClone(u));
  }

  protected answerPoll(updates: FakeUpdate[]): void {
    const poll = this.poll!;
    this.poll = undefined;
    clearTimeout(poll.timer);
    const call = [...this.recorded].reverse().find((c) => c.method === 'getUpdates');
    if (call) call.status = 200;
    send(poll.res, 200, { ok: true, result: updates });
  }

  protected answerPollConflict(description = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'): void {
    const poll = this.poll!;
    this.poll = undefined;
    clearTimeout(poll.timer);
    if (this.conflicts > 0) this.conflicts--;
    send(poll.res, 409, { ok: false, error_code: 409, description });
  }

  protected enqueue(body: Record<string, unknown>): FakeUpdate {
    const update = { update_id: ++this.updateSeq, ...body } as FakeUpdate;
    // Delivered by the caller itself (a load generator posting to the bot's webhook): not kept here.
    if (this.manual) return update;
    this.pending.push(update);
    this.wake();
    return structuredClone(update);
  }

  /** New update or bot activity: answer a waiting poll, push webhooks, wake test waiters. */
  protected wake(): void {
    if (this.poll) {
      const ready = this.take(this.poll.limit, this.poll.allowed);
      if (ready.length) this.answerPoll(ready);
    }
    if ((this.webhook || this.targets) && !this.pumping) void this.pump();
    for (const w of [...this.waiters]) w();
  }

  /** Pushes pending updates to the webhook (or the balanced targets) until none are left. */
  protected async pump(): Promise<void> {
    this.pumping = true;
    try {
      const attempts = new Map<FakeUpdate, number>();
      while (!this.closed && (this.webhook || this.targets) && this.pending.length) {
        const batch = this.pending.slice(0, this.webhookConcurrency);
        const results = await Promise.all(
          batch.map(async (u) => {
            const url = this.targets ? this.targets[this.rr++ % this.targets.length]! : this.webhook!.url;
            const status = await this.postUpdate(url, u, this.webhook?.secret);
            this.deliveries.push({ updateId: u.update_id, url, status });
            return { u, ok: status >= 200 && status < 300 };
          }),
        );
        let failed = false;
        for (const { u, ok } of results) {
          const n = (attempts.get(u) ?? 0) + 1;
          attempts.set(u, n);
          if (ok || n >= (this.o.webhookAttempts ?? 5)) {
            const i = this.pending.indexOf(u);
            if (i >= 0) this.pending.splice(i, 1);
          } else failed = true;
        }
        for (const w of [...this.waiters]) w();
        if (failed) await sleep(this.o.webhookRetryMs ?? 100);
      }
    } finally {
      this.pumping = false;
    }
  }

  protected async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (cond()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (cond() || this.closed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }

  /** POSTs one update to a URL the way Telegram does; resolves with the HTTP status (0 = unreachable). */
  async postUpdate(url: string, update: FakeUpdate, secret?: string): Promise<number> {
    const body = Buffer.from(JSON.stringify(update));
    return new Promise<number>((resolve) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.setTimeout(60_000, () => req.destroy());
      req.end(body);
    });
  }
}
