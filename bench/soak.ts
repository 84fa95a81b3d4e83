/**
 * `npm run soak -- --minutes N --seed S`: the long reliability run. The crash driver of
 * test/reliability/crash-driver.ts starts the compiled assistant (run `npm run build` first) on
 * PostgreSQL + Redis again and again, one seeded failpoint a run, for N minutes (default 10), checks
 * the invariants after every restart, ends with a clean run that must deliver every e-mail and notice,
 * runs `omnipay ledger verify`, and writes the figures to bench/reliability.json. A failing seed
 * replays: `npm run soak -- --minutes N --seed <the seed printed>`. Exit code 1 when anything failed.
 * Uses TEST_DATABASE_URL / TEST_REDIS_URL like the tests (the local servers by default).
 *
 * Then the hostile-input part (test/reliability/hostile-driver.ts, in this process on PGlite +
 * memory): `--inputs N` (default 10,000) seeded hostile inputs sent between the steps of walks
 * through every flow; its figures go to
 * `hostile` in bench/reliability.json. `--minutes 0` skips the crash runs and keeps the crash
 * figures the file already holds (only `hostile` is rewritten).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { CrashDriver } from '../test/reliability/crash-driver.js';
import { HostileDriver } from '../test/reliability/hostile-driver.js';

function arg(name: string, fallback: number, zero = false): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !zero)) {
    console.error(`soak: --${name} expects a ${zero ? 'number ≥ 0' : 'positive number'}, e.g. --${name} 5`);
    process.exit(2);
  }
  return v;
}

const minutes = arg('minutes', 10, true);
const inputs = Math.floor(arg('inputs', 10_000));
const seed = Math.floor(arg('seed', Math.floor(Math.random() * 2 ** 31)));
console.log(`soak: ${minutes} min, ${inputs} hostile inputs, seed ${seed} (replay: npm run soak -- --minutes ${minutes} --inputs ${inputs} --seed ${seed})`);
const out = new URL('./reliability.json', import.meta.url);

const started = Date.now();
let crash: Record<string, unknown> & { failures: string[] };
if (minutes > 0) {
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
  crash = {
    at: new Date().toISOString(),
    minutesAsked: minutes,
    minutesRun: Math.round((Date.now() - started) / 6000) / 10,
    machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 100) / 100) },
    setup: 'compiled assistant (dist/) as a child process on PostgreSQL + Redis, SMTP to an in-process sink, console chat on its stdin/stdout',
    ...f,
    ledgerVerify,
  };
  console.log(f.failures.length ? `soak: crash runs FAILED (${f.failures.length}); replay with --seed ${seed}` : `soak: ${f.runs} runs, ${f.crashesInjected} crashes injected, nothing lost, nothing doubled`);
} else {
  // --minutes 0: the crash figures of the last full soak stay as they are.
  const { hostile: _old, ...previous } = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : { failures: [] };
  crash = previous as typeof crash;
  console.log('soak: crash runs skipped (--minutes 0); their figures in bench/reliability.json are kept');
}

const hostileStarted = Date.now();
const hostileDriver = await HostileDriver.open(seed);
let hostile;
try {
  hostile = await hostileDriver.driveInputs(inputs);
} finally {
  await hostileDriver.close();
}
console.log(hostile.failures.length ? `soak: hostile input FAILED; replay with --seed ${seed}` : `soak: ${hostile.inputs} inputs (${hostile.hostileInputs} hostile) in ${hostile.runs} chats, ${hostile.statesHit} flow states, no crash`);

const result = {
  ...crash,
  notCovered: 'replays across two processes, races and canary secrets run in npm test only (see the README, Reliability)',
  hostile: {
    at: new Date().toISOString(),
    inputsAsked: inputs,
    minutesRun: Math.round((Date.now() - hostileStarted) / 6000) / 10,
    setup: 'engine and services in the soak process on PGlite + in-process store; fast-check walks of every flow (test/reliability/hostile-driver.ts)',
    ...hostile,
  },
};
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
process.exit(crash.failures.length || hostile.failures.length ? 1 : 0);
