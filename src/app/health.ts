import type { HttpServer } from '../infra/http/server.js';
import type { App } from './app.js';

/** Adds `/healthz`: 200 when the database and store answer and no part has failed for good; it names the payment mode in use. */
export function addHealthRoutes(http: HttpServer, app: App): void {
  http.route('GET', '/healthz', async (_req, _body, res) => {
    const db = await app.db.raw.query('SELECT 1 AS ok').then(() => true, () => false);
    const store = await app.store.ping();
    const ok = db && store && !app.fatal;
    const body = { ok, db, store: app.store.kind === 'redis' ? store : 'memory', payments: app.config.paymentMode, ...(app.fatal ? { fatal: app.fatal } : {}) };
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
}

/** Adds `/metrics` (Prometheus text) to the metrics server, which listens apart from the public port. */
export function addMetricsRoute(http: HttpServer, app: App): void {
  http.route('GET', '/metrics', async (_req, _body, res) => {
    res.writeHead(200, { 'content-type': app.metrics.contentType }).end(await app.metrics.metrics());
  });
}
