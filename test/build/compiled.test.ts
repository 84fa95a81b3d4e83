import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSISTANT, CLI, ROOT, spawnCompiled, stopProcess, type Spawned } from '../app/process.js';
import { moduleTrace } from './trace.js';

/*
 * The compiled program: dist/ as `npm install` / `npm run build` writes it (the test run's global
 * setup has just compiled the current sources), run the way `npx omnipay` and `npm start` run it.
 */

const run = promisify(execFile);

/** Packages a command that does not need them must not load. */
const HEAVY = ['@prisma/client', '@electric-sql/pglite', 'pg', 'grammy', 'pino', 'redis', 'xstate', 'prom-client', '@node-rs/argon2', '@resvg/resvg-js'];
/** Never part of the running program. */
const DEV_ONLY = ['tsx', 'esbuild', 'typescript', 'vitest', 'prisma'];

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) env[k] = process.env[k];
  return { ...env, ...extra };
}

/** `node [--import trace] bin/omnipay.mjs …args` on its own DATA_DIR. */
function omnipay(args: string[], env: Record<string, string>, trace?: ReturnType<typeof moduleTrace>) {
  return run(process.execPath, [...(trace ? [trace.importFlag] : []), CLI, ...args], { cwd: ROOT, env: cleanEnv(env), timeout: 60_000 });
}

function sourcesOfBuild(): string[] {
  const { include } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  return include.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(dir, f)),
  );
}

describe('the build (dist/)', () => {
  it('holds one JavaScript file (with its source map) per source, none older than its source and none without one, the Prisma client included', () => {
    const sources = sourcesOfBuild();
    const built = readdirSync(join(ROOT, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(ROOT, 'dist', f)).isFile());
    const js = built.filter((f) => f.endsWith('.js')).sort();
    expect(js).toEqual(sources.map((s) => s.replace(/\.ts$/, '.js')).sort());
    expect(built.filter((f) => !f.endsWith('.js') && !f.endsWith('.js.map'))).toEqual([]);
    expect(built.filter((f) => f.endsWith('.js.map')).length).toBe(js.length);
    for (const s of sources) expect(statSync(join(ROOT, 'dist', s.replace(/\.ts$/, '.js'))).mtimeMs, s).toBeGreaterThanOrEqual(statSync(join(ROOT, s)).mtimeMs);
    expect(js).toContain('src/generated/prisma/client.js');
    expect(js).toContain('src/main.js');
    expect(js).toContain('src/cli/main.js');
  });

  it('is what npm start, the CLI and postinstall run; tsx, esbuild and the compiler are dev dependencies only', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.start).toBe(`node ${ASSISTANT}`);
    expect(pkg.scripts.dev).toBe('tsx watch src/main.ts');
    expect(pkg.scripts.postinstall).toMatch(/prisma generate && node scripts\/build\.mjs && node dist\/src\/infra\/db\/image\.js$/);
    for (const d of DEV_ONLY) {
      expect(pkg.dependencies[d], d).toBeUndefined();
      expect(pkg.devDependencies[d], d).toBeDefined();
    }
  });
});

describe('the compiled CLI (bin/omnipay.mjs)', () => {
  it('--help lists the commands, in this one process, without loading the database, Telegram or logging stacks', async () => {
    const trace = moduleTrace();
    const { stdout, stderr } = await omnipay(['--help'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-help-')) }, trace);
    expect(stderr).toBe('');
    expect(stdout).toContain('Usage: omnipay');
    for (const c of ['migrate', 'chat', 'cards', 'rates', 'usage', 'ledger', 'converse']) expect(stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    // Imported in the process node started (bin/omnipay.mjs does not start another node).
    expect(trace.ownFiles()).toContain('dist/src/cli/main.js');
    expect(trace.ownFiles().filter((f) => f.startsWith('src/'))).toEqual([]);
    const loaded = trace.packages();
    expect([...HEAVY, ...DEV_ONLY].filter((p) => loaded.has(p))).toEqual([]);
  });

  it('rates set and rates list on the embedded database open just the database', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-rates-')) };
    const set = await omnipay(['rates', 'set', 'JPY', 'USD', '0.0066', '--by', 'test', '--json'], env);
    expect(JSON.parse(set.stdout)).toMatchObject({ base: 'JPY', quote: 'USD', rate: '0.0066', setBy: 'test' });
    const trace = moduleTrace();
    const list = await omnipay(['rates', 'list', '--json'], env, trace);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ base: 'JPY', quote: 'USD', rate: '0.0066', setBy: 'test', stale: false })]);
    const loaded = trace.packages();
    expect(loaded.has('@electric-sql/pglite') && loaded.has('@prisma/client')).toBe(true);
    // Not the services, engine, flows, store, metrics or channels.
    expect(['grammy', 'xstate', 'redis', 'prom-client', 'pg', 'pino', '@node-rs/argon2', '@resvg/resvg-js', ...DEV_ONLY].filter((p) => loaded.has(p))).toEqual([]);
    expect(trace.ownFiles().filter((f) => /^dist\/(flows|src\/(engine|channels|infra\/store|app\/(app|services|start)\.js))/.test(f))).toEqual([]);
  });
});

describe('the compiled assistant (dist/src/main.js)', () => {
  let p: Spawned | undefined;
  afterAll(async () => {
    await stopProcess(p);
  });

  it('greets in the console chat on the embedded defaults, answers /help and ends with its input, loading only compiled code', async () => {
    const trace = moduleTrace();
    p = spawnCompiled(ASSISTANT, [], { DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-compiled-')), NODE_OPTIONS: trace.importFlag });
    await p.waitFor('Welcome to OMNIPAY', 90_000);
    await p.waitFor('What would you like to do?', 90_000);
    p.write('/help');
    await p.waitFor('Commands: /menu', 30_000);
    expect(p.stdout()).toContain('I can help you with your OMNIPAY prepaid card');
    p.child.stdin!.end();
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toBe('');
    const own = trace.ownFiles();
    expect(own).toContain('dist/src/main.js');
    expect(own.filter((f) => !f.startsWith('dist/'))).toEqual([]);
    expect(own.filter((f) => f.includes('/testkit/'))).toEqual([]);
    expect(DEV_ONLY.filter((d) => trace.packages().has(d))).toEqual([]);
  }, 180_000);
});
