/**
 * Start-up figures of the compiled program (`npm run bench -- startup`), as ratios measured in one
 * run on this machine, against the targets of the build:
 *  - `node bin/omnipay.mjs --help` at most 4× a bare `node -e 0`;
 *  - `omnipay rates list` on the embedded database (a DATA_DIR made by an earlier command) under 1 s;
 *  - the assistant's resident memory when idle on PostgreSQL + Redis under 150 MB: read at the end
 *    of BENCH_IDLE_SECONDS (default 60; V8's memory reducer gives back the start-up's heap after
 *    some 20–45 s of idling), and also 5 s after it started listening.
 * Also the build (`npm run build`) time. Medians of BENCH_STARTUP_RUNS (default 7) runs.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const ROOT = new URL('../', import.meta.url).pathname;
const run = promisify(execFile);

export interface StartupFigures {
  buildMs: number;
  nodeMs: number;
  helpMs: number;
  helpRatio: number;
  ratesListMs: number;
  idleRssMb: number;
  /** RSS 5 s after start (before V8 shrinks the heap). */
  earlyRssMb: number;
  idleSeconds: number;
  runs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) env[k] = process.env[k];
  return { ...env, ...extra };
}

async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t = performance.now();
  await run(process.execPath, args, { cwd: ROOT, env, timeout: 60_000 });
  return performance.now() - t;
}

/** Runs each command once per round, interleaved, so a busy moment of the machine hits all alike. */
async function medians(commands: Record<string, { args: string[]; env: NodeJS.ProcessEnv }>, runs: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, c] of Object.entries(commands)) samples[k]!.push(await timed(c.args, c.env));
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
}

/** Resident memory of a process in MB (Linux /proc, else ps). */
async function rssMb(pid: number): Promise<number> {
  try {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    return Math.round(kb / 102.4) / 10;
  } catch {
    const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
    return Math.round(Number(stdout.trim()) / 102.4) / 10;
  }
}

/** Starts the compiled assistant on a fresh PostgreSQL database and Redis, lets it idle, reads its RSS. */
async function idleRss(pgUrl: string, redisUrl: string, idleMs: number): Promise<{ early: number; idle: number }> {
  const name = `omnipay_bench_rss_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  // What `npm start` runs (`node <flags…> dist/src/main.js`), without npm in between.
  const [node, ...startArgs] = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`npm start does not run node: ${node}`);
  const child = spawn(process.execPath, startArgs, {
    cwd: ROOT,
    // Telegram unset: the console chat, its stdin kept open; HTTP on so it serves /healthz as deployed.
    env: baseEnv({ DATABASE_URL: pgUrl.replace(/\/[^/]*$/, `/${name}`), REDIS_URL: redisUrl, APP_SECRET: 'bench-startup-secret-0123456789abcdef', HTTP_PORT: '0', LOG_LEVEL: 'info' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the assistant did not start: ${err}`)), 60_000);
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString('utf8');
        if (err.includes('"msg":"http listening"')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`the assistant ended (${code}): ${err}`)));
    });
    child.stdout.resume();
    await new Promise((r) => setTimeout(r, 5000));
    const early = await rssMb(child.pid!);
    await new Promise((r) => setTimeout(r, Math.max(0, idleMs - 5000)));
    return { early, idle: await rssMb(child.pid!) };
  } finally {
    const ended = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await ended;
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

export async function benchStartup(opts: { pgUrl: string; redisUrl: string; runs: number; idleMs: number }): Promise<StartupFigures> {
  // Compile the current sources (and time it), so the figures are of this code.
  const b = performance.now();
  await run(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  const buildMs = Math.round(performance.now() - b);
  const dataDir = mkdtempSync(join(tmpdir(), 'omnipay-bench-startup-'));
  try {
    const embedded = baseEnv({ DATA_DIR: dataDir });
    // The data folder exists already (made once by an earlier command), as for an operator.
    await run(process.execPath, ['bin/omnipay.mjs', 'migrate'], { cwd: ROOT, env: embedded });
    const m = await medians(
      {
        node: { args: ['-e', '0'], env: baseEnv() },
        help: { args: ['bin/omnipay.mjs', '--help'], env: embedded },
        ratesList: { args: ['bin/omnipay.mjs', 'rates', 'list'], env: embedded },
      },
      opts.runs,
    );
    const rss = await idleRss(opts.pgUrl, opts.redisUrl, opts.idleMs);
    return { buildMs, nodeMs: m.node!, helpMs: m.help!, helpRatio: Math.round((m.help! / m.node!) * 10) / 10, ratesListMs: m.ratesList!, idleRssMb: rss.idle, earlyRssMb: rss.early, idleSeconds: opts.idleMs / 1000, runs: opts.runs };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One line per figure, with its target. */
export function describeStartup(s: StartupFigures): string[] {
  return [
    `build: ${s.buildMs} ms (npm run build)`,
    `omnipay --help: ${s.helpMs} ms vs node -e 0: ${s.nodeMs} ms — ratio ${s.helpRatio} (target ≤ 4) — medians of ${s.runs}`,
    `omnipay rates list, embedded database: ${s.ratesListMs} ms (target < 1000 ms)`,
    `assistant idle on PostgreSQL + Redis: RSS ${s.idleRssMb} MB after ${s.idleSeconds} s (target < 150 MB); ${s.earlyRssMb} MB 5 s after start`,
  ];
}
