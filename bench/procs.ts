/** Child processes and measurements the benchmarks share: spawn, wait until healthy, CPU and RSS from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { freePort } from '../src/testkit/net.js';
export { freePort };

export const ROOT = new URL('../', import.meta.url).pathname;

/** A child process the bench started. */
export interface Child {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs a TypeScript entry point: compiled JavaScript when the build has it, else through tsx. */
export function spawnEntry(ts: string, env: Record<string, string>): Child {
  const js = `${ROOT}dist/${ts.replace(/\.ts$/, '.js')}`;
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child (open it in Chrome DevTools).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const args = [...prof, ...(existsSync(js) ? [js] : ['--import', 'tsx', `${ROOT}${ts}`])];
  const base: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) base[k] = process.env[k];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString('utf8')).slice(-20_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return {
    proc,
    output: () => out,
    async stop() {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}


/** Waits until `url` answers 200 (or the child exits). */
export async function waitHealthy(url: string, child: Child, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`process exited: ${child.output().slice(-2000)}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not healthy in time: ${child.output().slice(-2000)}`);
}

/** CPU seconds (user + system) a process used so far. */
export function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Resident memory of a process in MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** The value at quantile q of numbers. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
