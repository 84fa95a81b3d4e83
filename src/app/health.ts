import type { HttpServer } from '../infra/http/server.js';
import type { App } from './app.js';

/**
 * Adds `/healthz`: 200 when the database and store answer and no part has failed for good; names the
 * payment mode. With
 * Slack on, `slack` reports Slack posts given up in the last day (a wrong channel, the app not in
 * it) without failing the check: restarting would not fix them, and cardholders are still served.
 */
export function addHealthRoutes(http: HttpServer, app: App): void {
  http.route('GET', '/healthz', async (_req, _body, res) => {
    const db = await app.db.raw.query('SELECT 1 AS ok').then(() => true, () => false);
    const store = await app.store.ping();
    const ok = db && store && !app.fatal;
    const slack = app.config.SLACK_BOT_TOKEN && db ? await app.services.support.outbox.health().catch(() => null) : null;
    const body = { ok, db, store: app.store.kind === 'redis' ? store : 'memory', payments: app.config.paymentMode, ...(app.fatal ? { fatal: app.fatal } : {}), ...(slack ? { slack: { ok: slack.failed === 0, failedPosts: slack.failed, ...(slack.lastError ? { lastError: slack.lastError } : {}) } } : {}) };
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
}

/** Adds `/metrics` (Prometheus text) to the metrics server, which listens apart from the public port. */
export function addMetricsRoute(http: HttpServer, app: App): void {
  http.route('GET', '/metrics', async (_req, _body, res) => {
    res.writeHead(200, { 'content-type': app.metrics.contentType }).end(await app.metrics.metrics());
  });
}
