import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../lib/logger.js';

/** A route handler; the raw body is read for it (signature checks need the exact bytes). */
export type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void;

/** The one HTTP server: webhooks, Slack, health and metrics. */
export class HttpServer {
  private readonly routes = new Map<string, Handler>();
  private server: Server | undefined;
  private inFlight = 0;
  private draining = false;

  constructor(private readonly log: Logger, private readonly maxBody = 1_000_000) {}

  /** Adds a route, e.g. `route('POST', '/telegram/webhook', handler)`. */
  route(method: string, path: string, handler: Handler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    // Longer than clients and proxies keep idle connections (load balancers: 60 s, undici: 4 s), so
    // the server never closes a connection just as a client reuses it (a reset request).
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const handler = this.routes.get(`${req.method} ${path}`);
    if (this.draining) {
      res.writeHead(503, { connection: 'close' }).end('shutting down');
      return;
    }
    if (!handler) {
      res.writeHead(404).end('not found');
      return;
    }
    this.inFlight++;
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > this.maxBody) {
          res.writeHead(413).end('too large');
          return;
        }
        chunks.push(c as Buffer);
      }
      await handler(req, Buffer.concat(chunks), res);
    } catch (err) {
      this.log.error({ err: (err as Error).message, path }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500).end('internal error');
    } finally {
      this.inFlight--;
    }
  }

  /** Stops taking requests and waits for those in flight. */
  async close(): Promise<void> {
    if (!this.server) return;
    this.draining = true;
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server.closeAllConnections?.();
  }
}
