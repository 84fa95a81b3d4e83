import type { HttpServer } from '../infra/http/server.js';
import type { App } from './app.js';

/** Adds `/healthz` (database and store answer; the payment mode in use) and `/metrics` (Prometheus text). */
export function addHealthRoutes(http: HttpServer, app: App): void {
  http.route('GET', '/healthz', async (_req, _body, res) => {
    const db = await app.db.raw.query('SELECT 1 AS ok').then(() => true, () => false);
    const store = await app.store.ping();
    const ok = db && store;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok, db, store: app.store.kind === 'redis' ? store : 'memory', payments: app.config.paymentMode }));
  });
  http.route('GET', '/metrics', async (_req, _body, res) => {
    res.writeHead(200, { 'content-type': app.metrics.contentType }).end(await app.metrics.metrics());
  });
}
