import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startAssistant, type Running } from '../../src/app/start.js';
import { LogCapture } from '../support/app.js';
import { SETUPS, TEST_PG_URL, TEST_REDIS_URL, testDatabase, testStore } from '../support/db.js';
import { ASSISTANT, spawnCompiled, stopProcess, waitForFile, type Spawned } from '../app/process.js';

const SECRET = 'http-test-secret-0123456789abcdef0123456789';

for (const setup of SETUPS) {
  describe(`HTTP server on ${setup.db} + ${setup.store}`, () => {
    let running: Running;
    let base: string;
    let metricsBase: string;
    const logs = new LogCapture();
    beforeAll(async () => {
      const db = await testDatabase(setup.db);
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-http-')),
        APP_SECRET: SECRET,
        HTTP_PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'info',
        ...(setup.db === 'postgres' ? { DATABASE_URL: TEST_PG_URL } : {}),
        ...(setup.store === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
      });
      // Redis is connected by the app itself from REDIS_URL; the database is a fresh schema / image.
      const store = setup.store === 'memory' ? await testStore('memory', db) : undefined;
      running = await startAssistant(config, { db, ...(store ? { store } : {}), console: false, logDestination: logs, quietMetrics: true });
      running.app.onClose(() => db.close());
      if (store) running.app.onClose(() => store.close());
      expect(running.httpPort).toBeGreaterThan(0);
      base = `http://127.0.0.1:${running.httpPort}`;
      expect(running.metricsPort).toBeGreaterThan(0);
      metricsBase = `http://127.0.0.1:${running.metricsPort}`;
    });
    afterAll(async () => {
      await running?.stop();
    });

    it('GET /healthz is 200 when the database and the store answer', async () => {
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, db: true, store: setup.store === 'redis' ? true : 'memory', payments: 'sandbox' });
    });

    it('names the payment mode in the start-up log', () => {
      const line = logs.lines.map((l) => JSON.parse(l) as { msg: string; payments?: string }).find((l) => l.payments !== undefined);
      expect(line).toMatchObject({ payments: 'sandbox', msg: 'payments: sandbox (charges confirm themselves with no payment; test and demo only)' });
    });

    it('serves GET /metrics as Prometheus text with the turn counter on METRICS_PORT, not on the public port', async () => {
      await running.app.engine.handle({ channel: 'test', chatId: 'metrics', messageId: '1', kind: 'command', command: 'start', arg: '' });
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      const res = await fetch(`${metricsBase}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('# TYPE omnipay_turns_total counter');
      expect(text).toMatch(/^omnipay_turns_total\{channel="test",outcome="ok"\} 1$/m);
      expect(text).toContain('# TYPE omnipay_turn_seconds histogram');
    });

    it('GET /healthz turns 503 and names the reason once a part failed for good', async () => {
      running.app.fail('telegram: another process is polling this bot (409 Conflict)');
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ ok: false, fatal: 'telegram: another process is polling this bot (409 Conflict)' });
      expect(await running.failed).toBe('telegram: another process is polling this bot (409 Conflict)');
    });

    it('answers 404 for an unknown route', async () => {
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(404);
    });
  });
}

describe('payment mode with the provider webhook', () => {
  it('/healthz and the start-up log say "webhook" when sandbox payments are off', async () => {
    const db = await testDatabase('pglite');
    const logs = new LogCapture();
    const config = loadConfig({
      NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-http-')), APP_SECRET: SECRET, HTTP_PORT: '0', LOG_LEVEL: 'info',
      SANDBOX_PAYMENTS: 'false', PAYMENT_WEBHOOK_SECRET: 'payment-secret-0123456789',
    });
    const running = await startAssistant(config, { db, console: false, quietMetrics: true, logDestination: logs });
    running.app.onClose(() => db.close());
    try {
      const res = await fetch(`http://127.0.0.1:${running.httpPort}/healthz`);
      expect(await res.json()).toMatchObject({ ok: true, payments: 'webhook' });
      const line = logs.lines.map((l) => JSON.parse(l) as { msg: string; payments?: string }).find((l) => l.payments !== undefined);
      expect(line).toMatchObject({ payments: 'webhook', msg: 'payments: webhook (charges complete when the provider calls POST /payments/webhook)' });
    } finally {
      await running.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('stop() finishes a request in flight, then takes no more', async () => {
    const db = await testDatabase('pglite');
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-http-')), APP_SECRET: SECRET, HTTP_PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' });
    const running = await startAssistant(config, { db, console: false, quietMetrics: true });
    running.app.onClose(() => db.close());
    let release!: () => void;
    const entered = new Promise<void>((r) => {
      running.http!.route('GET', '/slow', async (_req, _body, res) => {
        r();
        await new Promise<void>((done) => (release = done));
        // The database is still open while a request is in flight.
        const [row] = await running.app.db.raw.query<{ n: number }>('SELECT 41 + 1 AS n');
        res.writeHead(200).end(`finished ${row!.n}`);
      });
    });
    const base = `http://127.0.0.1:${running.httpPort}`;
    const slow = fetch(`${base}/slow`).then(async (r) => [r.status, await r.text()] as const);
    await entered;
    const stopping = running.stop();
    await new Promise((r) => setTimeout(r, 200));
    release();
    expect(await slow).toEqual([200, 'finished 42']);
    await stopping;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe('SIGTERM', () => {
  let p: Spawned | undefined;
  afterAll(async () => {
    await stopProcess(p);
  });

  it('a running `npm start` exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'omnipay-sigterm-'));
    p = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir, HTTP_PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'info' });
    await p.waitFor('What would you like to do?', 90_000);
    await waitForFile(join(dataDir, 'omnipay.sock'));
    // The program's own pid is the one in the lock file.
    const pid = Number(readFileSync(join(dataDir, 'omnipay.lock'), 'utf8'));
    process.kill(pid, 'SIGTERM');
    expect(await p.exited).toBe(0);
    // Logs go to stderr when the console chat has stdout.
    expect(p.stderr()).toContain('"msg":"http listening"');
    // `npm start` with nothing set is the console demo: sandbox payments, named at start.
    expect(p.stderr()).toContain('"payments":"sandbox"');
    expect(p.stderr()).toContain('"signal":"SIGTERM","msg":"shutting down"');
    expect(p.stdout()).not.toContain('"level"');
  }, 180_000);

  it('a SIGTERM during start (the first greeting shown, the database still loading) is not lost: the start finishes, then it stops and exits 0', async () => {
    await stopProcess(p);
    const dataDir = mkdtempSync(join(tmpdir(), 'omnipay-sigterm-early-'));
    p = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir, HTTP_PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'info' });
    // A fresh data folder: the greeting is printed before the embedded database and the services load.
    await p.waitFor('What would you like to do?', 90_000);
    process.kill(p.child.pid!, 'SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toContain('"signal":"SIGTERM","msg":"shutting down"');
  }, 180_000);
});
