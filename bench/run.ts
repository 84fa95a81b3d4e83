/**
 * `npm run bench [-- startup|turns|money|slack]`: start-up figures of the compiled program (bench/startup.ts),
 * turns over the Telegram webhook against a bare grammY echo bot (bench/turns.ts), then money
 * benchmarks on PostgreSQL (BENCH_DATABASE_URL, default the local test server), each in a scratch
 * schema dropped afterwards. Prints one summary table and writes bench/results.json.
 *  1. Charge completion postings/s through the service vs a raw-SQL baseline doing the same writes.
 *  2. History page latency for a one-month window on a card with 100,000 postings among
 *     BENCH_POSTINGS (default 5,000,000) postings.
 * Options (env): BENCH_CHATS (64), BENCH_SECONDS (15), BENCH_OPEN_CHATS (500), BENCH_OPEN_RATE (20),
 * BENCH_CHARGES (default 300), BENCH_CONCURRENCY (8), BENCH_POSTINGS, BENCH_RUNS (200),
 * BENCH_REDIS_URL (redis://127.0.0.1:6379), BENCH_STARTUP_RUNS (7), BENCH_IDLE_SECONDS (60),
 * BENCH_SLACK_CONCURRENCY (50), BENCH_SLACK_ROUNDS (20). The Slack section times the ack of signed
 * `/omnipay lookup` commands through Bolt and our receiver (bench/slack.ts).
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
import { benchStartup, describeStartup } from './startup.js';
import { benchSlack } from './slack.js';
import { benchTurns } from './turns.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

// The contended case charges one card hundreds of times: the per-day and per-card caps would refuse it.
const BENCH_LIMITS = { CHARGE_DAILY_MAX: 'JPY 100000000000, USD 1000000000', CARD_MAX_BALANCE: 'JPY 100000000000, USD 1000000000' };
const url = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const int = (name: string, d: number) => Number(process.env[name] ?? d);

async function withScratch<T>(name: string, fn: (ctx: { db: Awaited<ReturnType<typeof openPostgres>>; services: ReturnType<typeof createServices>; pool: pg.Pool; config: ReturnType<typeof loadConfig> }) => Promise<T>): Promise<T> {
  const schema = `bench_${name}_${Date.now().toString(36)}`;
  const db = await openPostgres({ url, schema, poolSize: 20 });
  const pool = new pg.Pool({ connectionString: url, max: 20, options: `-c search_path="${schema}"` });
  try {
    await migrate(db);
    const config = loadConfig({ DATABASE_URL: url, APP_SECRET: 'bench-secret-0123456789abcdef0123456789', LOG_LEVEL: 'silent', SANDBOX_PAYMENT_DELAY_SECONDS: '3600', NODE_ENV: 'test', ...BENCH_LIMITS });
    const services = createServices({ config, log: createLogger('silent'), clock: new AdjustableClock(), db, store: new MemoryStore(), secret: config.APP_SECRET! });
    return await fn({ db, services, pool, config });
  } finally {
    await pool.end();
    await db.raw.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.close();
  }
}

/** One line of the summary table: a figure beside the baseline measured in the same run. */
interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { at: new Date().toISOString(), machine: machine() };
  const rows: Row[] = [];
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const want = (section: string) => !only.length || only.includes(section);
  if (want('startup')) {
    console.log('start-up of the compiled program');
    const startup = await benchStartup({ pgUrl: url, redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', runs: int('BENCH_STARTUP_RUNS', 7), idleMs: int('BENCH_IDLE_SECONDS', 60) * 1000 });
    out.startup = startup;
    for (const line of describeStartup(startup)) console.log(line);
    rows.push({ figure: 'CLI --help', value: `${startup.helpMs} ms`, baseline: `node -e 0: ${startup.nodeMs} ms`, ratio: `${startup.helpRatio}×`, target: '≤ 4×' });
    rows.push({ figure: 'rates list (embedded)', value: `${startup.ratesListMs} ms`, baseline: '—', ratio: '—', target: '< 1 s' });
    rows.push({ figure: 'assistant RSS idle (PG + Redis)', value: `${startup.idleRssMb} MB`, baseline: '—', ratio: '—', target: '< 150 MB' });
  }
  if (want('turns')) {
    console.log('turns over the Telegram webhook (PostgreSQL + Redis) vs a bare grammY echo bot');
    const { turns, storage } = await benchTurns({ chats: int('BENCH_CHATS', 64), seconds: int('BENCH_SECONDS', 15), openChats: int('BENCH_OPEN_CHATS', 500), openRate: int('BENCH_OPEN_RATE', 20) });
    out.turns = turns;
    out.storage = storage;
    console.table(turns);
    const echo = turns[0]!;
    for (const t of turns.slice(1)) {
      rows.push({ figure: `${t.label}: turns/s (p50 / p99)`, value: `${t.turnsPerSec} (${t.p50Ms} / ${t.p99Ms} ms)`, baseline: `echo ${echo.turnsPerSec} (${echo.p50Ms} / ${echo.p99Ms} ms)`, ratio: `${(t.turnsPerSec / echo.turnsPerSec).toFixed(2)}×`, target: t.label.includes('open') ? 'p99 < 500 ms' : t.processes === 1 ? '≥ 1,000/s, p99 < 50 ms' : '—' });
      rows.push({ figure: `${t.label}: CPU per turn`, value: `${t.cpuMsPerTurn} ms`, baseline: `echo ${echo.cpuMsPerTurn} ms`, ratio: `${(t.cpuMsPerTurn / echo.cpuMsPerTurn).toFixed(2)}×`, target: '≤ 2.5×' });
    }
    // The first row is the echo bot: the assistant's own one-process run is the baseline for scale-out.
    const one = turns.slice(1).find((t) => t.processes === 1 && !t.label.includes('open'));
    for (const t of turns.filter((x) => x.processes > 1)) {
      const perCpu = (x: typeof t) => x.turns / Math.max(1e-9, (x.cpuMsPerTurn * x.turns) / 1000);
      if (one) rows.push({ figure: `${t.processes} processes: turns per assistant CPU-second`, value: perCpu(t).toFixed(0), baseline: `1 process ${perCpu(one).toFixed(0)}`, ratio: `${(perCpu(t) / perCpu(one)).toFixed(2)}×`, target: '≥ 0.85×' });
    }
    const open = turns.find((t) => t.label.includes('open'));
    if (open) rows.push({ figure: 'default limiter: most messages in any second', value: String(open.busiestSecond), baseline: 'TELEGRAM_MAX_MESSAGES_PER_SECOND 30', ratio: '—', target: '≤ 30' });
    if (one) rows.push({ figure: 'messages per turn (dashboard mix)', value: String(one.messagesPerTurn), baseline: 'echo 1', ratio: '—', target: '≤ 1.2' });
    if (one) rows.push({ figure: 'RSS idle / under load (1 process)', value: `${one.rssIdleMb} / ${one.rssLoadMb} MB`, baseline: `echo ${echo.rssIdleMb} / ${echo.rssLoadMb} MB`, ratio: '—', target: '—' });
    if (storage) {
      rows.push({ figure: 'bytes per stored snapshot (avg / max)', value: `${storage.snapshotBytesAvg} / ${storage.snapshotBytesMax}`, baseline: '—', ratio: '—', target: '< 2 KB' });
      rows.push({ figure: 'Redis bytes per active chat', value: String(storage.redisBytesPerChat), baseline: '—', ratio: '—', target: '< 4 KB' });
    }
  }
  if (want('money')) {
    console.log(`money benchmarks on ${url.replace(/\/\/[^@]*@/, '//')}`);
    const charges = await withScratch('charges', ({ db, services, pool }) => benchCharges(db, services, pool, int('BENCH_CHARGES', 300), int('BENCH_CONCURRENCY', 8)));
    out.charges = charges;
    console.log(`charge completion: ${charges.servicePostingsPerSec} postings/s via the service vs ${charges.rawPostingsPerSec} postings/s raw SQL (ratio ${charges.ratio}; target ≥ 0.5) — ${charges.charges} charges, concurrency ${charges.concurrency}`);
    rows.push({ figure: 'ledger postings/s, many cards (8 writers)', value: String(charges.servicePostingsPerSec), baseline: `raw SQL ${charges.rawPostingsPerSec}`, ratio: `${charges.ratio}×`, target: '≥ 0.5×' });
    const contended = await withScratch('contended', ({ db, services, pool }) => benchCharges(db, services, pool, int('BENCH_CHARGES', 300), 50, { oneCard: true }));
    out.chargesOneCard = contended;
    console.log(`charge completion, 50 writers on one card: ${contended.servicePostingsPerSec} postings/s via the service vs ${contended.rawPostingsPerSec} raw (ratio ${contended.ratio})`);
    rows.push({ figure: 'ledger postings/s, 50 writers on one card', value: String(contended.servicePostingsPerSec), baseline: `raw SQL ${contended.rawPostingsPerSec}`, ratio: `${contended.ratio}×`, target: '≥ 0.5×' });
    const history = await withScratch('history', ({ db, services }) => benchHistory(db, services, int('BENCH_POSTINGS', 5_000_000), int('BENCH_RUNS', 200)));
    out.history = history;
    console.log(`history, one-month window, card with ${history.cardPostings} of ${history.totalPostings} postings (loaded in ${history.loadSeconds}s): page p50 ${history.pageP50} ms, p99 ${history.pageP99} ms; SQL only p50 ${history.sqlP50} ms, p99 ${history.sqlP99} ms (target p99 < 10 ms) over ${history.runs} runs`);
    rows.push({ figure: 'history page (card of 100,000 among 5M) p50 / p99', value: `${history.pageP50} / ${history.pageP99} ms`, baseline: `SQL only ${history.sqlP50} / ${history.sqlP99} ms`, ratio: '—', target: 'p99 < 10 ms' });
  }
  if (want('slack')) {
    const slack = await withScratch('slack', ({ services, config }) => benchSlack(services, config, int('BENCH_SLACK_CONCURRENCY', 50), int('BENCH_SLACK_ROUNDS', 20)));
    out.slack = slack;
    console.log(`slack desk: /omnipay lookup, ${slack.concurrency} at once × ${slack.rounds} rounds: ack p50 ${slack.ackP50} ms, p99 ${slack.ackP99} ms, max ${slack.ackMax} ms (Slack's deadline 3,000 ms); answer at the response URL p50 ${slack.answerP50} ms, p99 ${slack.answerP99} ms`);
    rows.push({ figure: `Slack /omnipay ack under ${slack.concurrency} concurrent commands p50 / p99`, value: `${slack.ackP50} / ${slack.ackP99} ms`, baseline: "Slack's deadline 3,000 ms", ratio: `${(slack.ackP99 / 3000).toFixed(2)}×`, target: 'p99 well under 3 s' });
  }
  console.log('\nsummary (each figure beside its baseline, measured in this run)');
  console.table(rows);
  // A run of some sections keeps the other sections' latest figures (each says when it was measured).
  const file = new URL('./results.json', import.meta.url);
  const prev = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const prevRows = ((prev.summary as (Row & { at?: string })[] | undefined) ?? []).filter((r) => !rows.some((x) => x.figure === r.figure));
  out.summary = [...prevRows, ...rows.map((r) => ({ ...r, at: out.at }))];
  writeFileSync(file, JSON.stringify({ ...prev, ...out }, null, 2) + '\n');
  console.log('written: bench/results.json');
  if (process.argv.includes('--json')) console.log(JSON.stringify(out));
}

/** What the figures were measured on (they are only comparable within one run on one machine). */
function machine(): Record<string, unknown> {
  return { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, load: loadavg().map((x) => x.toFixed(2)) };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
