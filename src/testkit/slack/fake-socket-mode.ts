import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { freshId } from './payloads.js';
import { waitUntil } from './wait.js';

/**
 * Slack's Socket Mode server, in the fake: `apps.connections.open` hands out a one-time
 * `ws://…/socket?ticket=…` URL; on connecting the app gets `hello`; the test pushes envelopes
 * (`events_api`, `slash_commands`, `interactive`) and the app answers each with
 * `{ envelope_id, payload }`, which is recorded.
 */

/** The envelope types Slack sends over Socket Mode. */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** An app's answer to one envelope. */
export interface SocketAck {
  envelopeId: string;
  /** What the app put in the ack (`{}` for a bare `ack()`; `{ text }` for `ack('text')`). */
  payload: Record<string, unknown> | undefined;
  at: number;
}

/** Options of {@link FakeSocketMode.send}. */
export interface EnvelopeOptions {
  /** A redelivery: Socket Mode carries it as `retry_attempt`/`retry_reason` instead of headers. */
  retryAttempt?: number;
  retryReason?: string;
}

/** The fake's WebSocket side. */
export class FakeSocketMode {
  /** Every ack received, in order. */
  readonly acks: SocketAck[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly listeners = new Set<() => void>();

  constructor(server: Server, private readonly root: () => string) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  /** A fresh connection URL, as `apps.connections.open` returns it. */
  issueUrl(): string {
    const ticket = freshId('tk');
    this.tickets.add(ticket);
    return `${this.root().replace(/^http/, 'ws')}socket?ticket=${ticket}`;
  }

  /** How many apps are connected now. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Resolves once at least `n` apps are connected (they have been sent `hello`). */
  connected(n = 1, timeoutMs = 5000): Promise<void> {
    return this.until(() => this.sockets.size >= n, timeoutMs, `${n} Socket Mode connection(s)`);
  }

  /** Sends an envelope to every connected app; returns its `envelope_id`. */
  send(type: EnvelopeType, payload: Record<string, unknown>, o: EnvelopeOptions = {}): string {
    if (this.sockets.size === 0) throw new Error('no Socket Mode connection to send to');
    const envelopeId = freshId('env-');
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      // Slack accepts a response payload in the ack for commands and for interactions that take one.
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: o.retryAttempt ?? 0, retry_reason: o.retryReason ?? '' } : {}),
    };
    this.broadcast(envelope);
    return envelopeId;
  }

  /** Sends any frame, e.g. `{ type: 'disconnect', reason: 'refresh_requested' }`. */
  broadcast(frame: Record<string, unknown>): void {
    const text = JSON.stringify(frame);
    for (const s of this.sockets) s.send(text);
  }

  /** The ack of an envelope, waiting for it. */
  async waitForAck(envelopeId: string, timeoutMs = 5000): Promise<SocketAck> {
    await this.until(() => this.acks.some((a) => a.envelopeId === envelopeId), timeoutMs, `the ack of ${envelopeId}`);
    return this.acks.find((a) => a.envelopeId === envelopeId)!;
  }

  /** Closes every connection and the WebSocket server. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.sockets.clear();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    // A ticket is good for one connection, as Slack's are.
    if (url.pathname !== '/socket' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => {
        this.sockets.delete(ws);
        this.notify();
      });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) this.onFrame(data.toString());
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.size, debug_info: { host: 'fake-slack' }, connection_info: { app_id: 'A0OMNIPAY' } }));
      this.notify();
    });
  }

  private onFrame(text: string): void {
    let frame: { envelope_id?: unknown; payload?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    if (typeof frame.envelope_id !== 'string') return;
    const payload = typeof frame.payload === 'object' && frame.payload !== null ? (frame.payload as Record<string, unknown>) : undefined;
    this.acks.push({ envelopeId: frame.envelope_id, payload, at: Date.now() });
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private until(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return waitUntil(() => (ok() ? true : undefined), { timeoutMs, what, wake: this.listeners }).then(() => undefined);
  }
}
