/**
 * `npm run bench`: money benchmarks on PostgreSQL (BENCH_DATABASE_URL, default the local test
 * server), each in a scratch schema dropped afterwards.
 *  1. Charge completion postings/s through the service vs a raw-SQL baseline doing the same writes.
 *  2. History page latency for a one-month window on a card with 100,000 postings among
 *     BENCH_POSTINGS (default 5,000,000) postings.
 *  3. Slack desk: ack latency (p50/p99) of 50 concurrent signed `/omnipay lookup` commands through
 *     Bolt and our receiver (bench/slack.ts).
 * `npm run bench -- slack` (or `money`) runs one section.
 * Options (env): BENCH_CHARGES (default 300), BENCH_CONCURRENCY (8), BENCH_POSTINGS, BENCH_RUNS (200),
 * BENCH_SLACK_CONCURRENCY (50), BENCH_SLACK_ROUNDS (20).
 */
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { AdjustableClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { createServices } from '../src/app/services.js';
import { openPostgres } from '../src/infra/db/database.js';
import { migrate } from '../src/infra/db/migrator.js';
import { MemoryStore } from '../src/infra/store/memory.js';
import { benchCharges } from './charges.js';
import { benchHistory } from './history.js';
import { benchSlack } from './slack.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const int = (name: string, d: number) => Number(process.env[name] ?? d);

async function withScratch<T>(name: string, fn: (ctx: { db: Awaited<ReturnType<typeof openPostgres>>; services: ReturnType<typeof createServices>; pool: pg.Pool; config: ReturnType<typeof loadConfig> }) => Promise<T>): Promise<T> {
  const schema = `bench_${name}_${Date.now().toString(36)}`;
  const db = await openPostgres({ url, schema, poolSize: 20 });
  const pool = new pg.Pool({ connectionString: url, max: 20, options: `-c search_path="${schema}"` });
  try {
    await migrate(db);
    const config = loadConfig({ DATABASE_URL: url, APP_SECRET: 'bench-secret-0123456789abcdef0123456789', LOG_LEVEL: 'silent', SANDBOX_PAYMENT_DELAY_SECONDS: '3600', NODE_ENV: 'test' });
    const services = createServices({ config, log: createLogger('silent'), clock: new AdjustableClock(), db, store: new MemoryStore(), secret: config.APP_SECRET! });
    return await fn({ db, services, pool, config });
  } finally {
    await pool.end();
    await db.raw.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.close();
  }
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = {};
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const wants = (section: string) => only.length === 0 || only.includes(section);
  if (wants('money')) await money(out);
  if (wants('slack')) {
    const slack = await withScratch('slack', ({ services, config }) => benchSlack(services, config, int('BENCH_SLACK_CONCURRENCY', 50), int('BENCH_SLACK_ROUNDS', 20)));
    out.slack = slack;
    console.log(`slack desk: /omnipay lookup, ${slack.concurrency} at once × ${slack.rounds} rounds: ack p50 ${slack.ackP50} ms, p99 ${slack.ackP99} ms, max ${slack.ackMax} ms (Slack's deadline 3,000 ms); answer at the response URL p50 ${slack.answerP50} ms, p99 ${slack.answerP99} ms`);
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(out));
}

async function money(out: Record<string, unknown>): Promise<void> {
  console.log(`money benchmarks on ${url.replace(/\/\/[^@]*@/, '//')}`);
  const charges = await withScratch('charges', ({ db, services, pool }) => benchCharges(db, services, pool, int('BENCH_CHARGES', 300), int('BENCH_CONCURRENCY', 8)));
  out.charges = charges;
  console.log(`charge completion: ${charges.servicePostingsPerSec} postings/s via the service vs ${charges.rawPostingsPerSec} postings/s raw SQL (ratio ${charges.ratio}; target ≥ 0.5) — ${charges.charges} charges, concurrency ${charges.concurrency}`);
  const history = await withScratch('history', ({ db, services }) => benchHistory(db, services, int('BENCH_POSTINGS', 5_000_000), int('BENCH_RUNS', 200)));
  out.history = history;
  console.log(`history, one-month window, card with ${history.cardPostings} of ${history.totalPostings} postings (loaded in ${history.loadSeconds}s): page p50 ${history.pageP50} ms, p99 ${history.pageP99} ms; SQL only p50 ${history.sqlP50} ms, p99 ${history.sqlP99} ms (target p99 < 10 ms) over ${history.runs} runs`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
