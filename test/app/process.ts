import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The project root (tests spawn the real entry points from here). */
export const ROOT = new URL('../../', import.meta.url).pathname;

/** A spawned assistant or CLI process with everything it printed so far. */
export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Waits until stdout contains `text` (or matches), failing after `ms` with what was printed. */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  write(line: string): void;
}

/** The compiled entry points (dist/, compiled from the current sources by the test run's global setup). */
export const ASSISTANT = 'dist/src/main.js';
export const CLI = 'bin/omnipay.mjs';

/**
 * Spawns `node <entry> …args` — a compiled entry point ({@link ASSISTANT}, {@link CLI}), as
 * `npm start` and `npx omnipay` run it — in the project root with `env` added to a clean environment
 * (variables of the test runner that the program reads are removed). The child is the program itself.
 * `cwd`: another copy of the program (the image's files, assembled by a test).
 */
export function spawnCompiled(entry: string, args: string[], env: Record<string, string>, cwd = ROOT): Spawned {
  return spawnIn(process.execPath, [entry, ...args], env, cwd);
}

/** Spawns `npx tsx <script> …args` (a TypeScript source, not the compiled program), like {@link spawnCompiled}. */
export function spawnTsx(script: string, args: string[], env: Record<string, string>): Spawned {
  return spawnIn('npx', ['tsx', script, ...args], env);
}

function spawnIn(command: string, argv: string[], env: Record<string, string>, cwd = ROOT): Spawned {
  const base: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'npm_config_cache']) if (process.env[k]) base[k] = process.env[k];
  const child = spawn(command, argv, { cwd, env: { ...base, LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    waiters.forEach((w) => w());
  });
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    write: (line) => void child.stdin!.write(line + '\n'),
    waitFor: (text, ms = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const seen = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
        if (seen()) return resolve();
        const check = () => {
          if (!seen()) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(text)}; stdout:\n${out}\nstderr:\n${err}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => {
          if (!seen()) {
            cleanup();
            reject(new Error(`process ended before ${String(text)}; stdout:\n${out}\nstderr:\n${err}`));
          }
        });
      }),
  };
}

/** Waits until `path` exists (a socket or lock file a spawned process creates). */
export async function waitForFile(path: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends a signal to the spawned process group (with npx: npx → tsx → node), so no grandchild is left behind. */
export function signal(p: Spawned, sig: NodeJS.Signals): void {
  try {
    process.kill(-p.child.pid!, sig);
  } catch {
    // already gone
  }
}

/** Ends a spawned process if it still runs (afterAll). */
export async function stopProcess(p: Spawned | undefined): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) {
    signal(p, 'SIGTERM');
    const t = setTimeout(() => signal(p, 'SIGKILL'), 10_000);
    await p.exited;
    clearTimeout(t);
  }
  signal(p, 'SIGKILL'); // anything of the group still alive
}
