/**
 * `npm run soak -- --minutes N --seed S`: the long reliability run. The crash driver of
 * test/reliability/crash-driver.ts starts the compiled assistant (run `npm run build` first) on
 * PostgreSQL + Redis again and again, one seeded failpoint a run, for N minutes (default 10), checks
 * the invariants after every restart, ends with a clean run that must deliver every e-mail and notice,
 * runs `omnipay ledger verify`, and writes the figures to bench/reliability.json. A failing seed
 * replays: `npm run soak -- --minutes N --seed <the seed printed>`. Exit code 1 when anything failed.
 * Uses TEST_DATABASE_URL / TEST_REDIS_URL like the tests (the local servers by default).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { CrashDriver } from '../test/reliability/crash-driver.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`soak: --${name} expects a positive number, e.g. --${name} 5`);
    process.exit(2);
  }
  return v;
}

const minutes = arg('minutes', 10);
const seed = Math.floor(arg('seed', Math.floor(Math.random() * 2 ** 31)));
console.log(`soak: ${minutes} min, seed ${seed} (replay: npm run soak -- --minutes ${minutes} --seed ${seed})`);

const started = Date.now();
const driver = await CrashDriver.open(seed, (line) => console.log(line));
let cli: { code: number | string; out: string } | undefined;
try {
  while (Date.now() - started < minutes * 60_000 && driver.figures.failures.length === 0) await driver.run();
  await driver.finish();
  cli = await driver.cliVerify();
} finally {
  await driver.close();
}
const f = driver.figures;
const ledgerVerify = cli?.code === 0 ? 'clean' : `failed (${String(cli?.code)}): ${cli?.out.slice(-500)}`;
if (cli?.code !== 0) f.failures.push(`omnipay ledger verify: ${ledgerVerify}`);
const result = {
  at: new Date().toISOString(),
  minutesAsked: minutes,
  minutesRun: Math.round((Date.now() - started) / 6000) / 10,
  machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 100) / 100) },
  setup: 'compiled assistant (dist/) as a child process on PostgreSQL + Redis, SMTP to an in-process sink, console chat on its stdin/stdout',
  ...f,
  ledgerVerify,
  notCovered: 'replays across two processes, races, hostile input and canary secrets are not part of this soak yet (see the README, Reliability)',
};
writeFileSync(new URL('./reliability.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
console.log(f.failures.length ? `soak: FAILED (${f.failures.length}); replay with --seed ${seed}` : `soak: ${f.runs} runs, ${f.crashesInjected} crashes injected, nothing lost, nothing doubled`);
process.exit(f.failures.length ? 1 : 0);
