import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, spawnCompiled, stopProcess, type Spawned } from '../app/process.js';
import { CHART_FONTS } from '../../src/services/history/chart.js';
import { copyInto, dockerignore, parseCopy, parseDockerfile, type FileMap, type Stage } from './dockerfile.js';

/*
 * The image, from the Dockerfile's COPY lines (no Docker engine here): what the runtime stage ships,
 * that it runs compiled code only, and that those files alone run the assistant.
 */

const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignored = dockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
const buildStage = stages.find((s) => s.name === 'build')!;
const runtime = stages.at(-1)!;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const runs = (s: Stage) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join(' && ');

/**
 * The build stage's files: its COPY lines, then what `npm ci` (postinstall) makes there: the Prisma
 * client (src/generated, made in the stage), dist/ compiled from the stage's src/ and flows/ — the
 * folders tsconfig.build.json includes, as scripts/build.mjs does — and node_modules.
 */
function buildStageFiles(): FileMap {
  const files = copyInto(buildStage, ROOT, ignored, new Map());
  expect(runs(buildStage)).toMatch(/\bnpm ci\b/);
  const app = buildStage.workdir;
  const { include } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  const generated = readdirSync(join(ROOT, 'src/generated/prisma'), { recursive: true, encoding: 'utf8' }).map((f) => posix.join('src/generated/prisma', f));
  const sources = [...[...files.keys()].map((p) => posix.relative(app, p)), ...generated].filter((p) => include.some((d) => p.startsWith(d + '/')) && p.endsWith('.ts') && !p.endsWith('.d.ts'));
  for (const s of sources) {
    const js = posix.join('dist', s.replace(/\.ts$/, '.js'));
    files.set(posix.join(app, js), { origin: 'build', path: js });
  }
  files.set(posix.join(app, 'node_modules'), { origin: 'build', path: 'node_modules' });
  return files;
}

const shippedMap = copyInto(runtime, ROOT, ignored, new Map([['build', buildStageFiles()]]));
/** The runtime stage's files, relative to its WORKDIR. */
const shipped = new Map([...shippedMap].map(([p, f]) => [posix.relative(runtime.workdir, p), f]));
const paths = [...shipped.keys()];

describe('the image (Dockerfile COPY lines)', () => {
  it('ships the compiled program, production dependencies, package.json, bin and the files read at run time', () => {
    for (const p of ['dist/src/main.js', 'dist/src/cli/main.js', 'dist/src/infra/db/migrator.js', 'dist/src/generated/prisma/client.js', 'dist/flows/root.js', 'bin/omnipay.mjs', 'package.json', 'node_modules']) expect(paths, p).toContain(p);
    const migrations = readdirSync(join(ROOT, 'prisma/migrations'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `prisma/migrations/${d.name}/migration.sql`);
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) expect(paths, m).toContain(m);
    const catalogues = readdirSync(join(ROOT, 'src/i18n'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ftl')).map((f) => `src/i18n/${f}`);
    expect(catalogues.length).toBeGreaterThan(10);
    for (const c of catalogues) expect(paths, c).toContain(c);
  });

  it('ships the history chart fonts: production dependencies in the shipped node_modules, checked after the prune', () => {
    expect(paths).toContain('node_modules');
    for (const font of CHART_FONTS) {
      const rel = posix.relative(ROOT, font.split('\\').join('/'));
      expect(rel, font).toMatch(/^node_modules\//);
      const name = rel.split('/')[1]!.startsWith('@') ? rel.split('/').slice(1, 3).join('/') : rel.split('/')[1]!;
      expect(pkg.dependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(runs(buildStage)).toContain(`test -f ${rel}`);
    }
  });

  it('ships no test kit, no tests, no TypeScript sources, no compiler and no tsx', () => {
    expect(paths.filter((p) => p.includes('testkit') || p.startsWith('test/') || p.startsWith('scripts/') || p.startsWith('bench/'))).toEqual([]);
    expect(paths.filter((p) => /\.(m|c)?ts$/.test(p) || /^tsconfig/.test(p) || p === 'prisma.config.ts')).toEqual([]);
    expect(paths.filter((p) => p.startsWith('src/') && !p.endsWith('.ftl'))).toEqual([]);
    // node_modules comes from the build stage after the dev dependencies (tsx, esbuild, typescript,
    // the Prisma CLI, vitest) are gone. `--omit=dev` alone would keep prisma and typescript (optional
    // peers of @prisma/client), hence devDependencies deleted before the prune.
    const run = runs(buildStage);
    const order = ['npm ci', 'npm pkg delete devDependencies', 'npm prune --omit=dev'].map((s) => run.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const d of ['tsx', 'esbuild', 'typescript', 'prisma', 'vitest']) {
      expect(pkg.dependencies[d], d).toBeUndefined();
      expect(pkg.devDependencies[d], d).toBeDefined();
    }
    const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => parseCopy(i.args));
    expect(copies.filter((c) => c.from).map((c) => c.sources).flat().sort()).toEqual(['/app/dist', '/app/node_modules']);
  });

  it('every module the shipped program imports is shipped or a production dependency', () => {
    const missing: string[] = [];
    const builtins = new Set(builtinModules);
    for (const [p, f] of shipped) {
      if (!/\.(m?js)$/.test(p) || p.startsWith('node_modules')) continue;
      const text = readFileSync(join(ROOT, f.path), 'utf8');
      const specs = [
        ...text.matchAll(/^import\s+(?:[^'"]*?\sfrom\s*)?["']([^"']+)["']/gm),
        ...text.matchAll(/^export\s+(?:\*|\*\s+as\s+\w+|\{[^}]*\})\s*from\s*["']([^"']+)["']/gm),
        ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
      ].map((m) => m[1]!);
      for (const s of specs) {
        if (s.startsWith('.')) {
          const target = posix.normalize(posix.join(posix.dirname(p), s));
          // The test kit is imported lazily by `converse`, which says it is not installed.
          if (p === 'dist/src/cli/converse.js' && target === 'dist/src/testkit/cli.js') continue;
          if (!shipped.has(target)) missing.push(`${p} imports ${s}`);
        } else if (!s.startsWith('node:') && !builtins.has(s)) {
          const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!;
          if (!pkg.dependencies[name]) missing.push(`${p} imports ${s} (not a production dependency)`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('migrates and starts the compiled assistant as an unprivileged user with NODE_ENV=production and a health check', () => {
    const cmd = runtime.instructions.find((i) => i.op === 'CMD')!.args;
    expect(cmd).toContain('node bin/omnipay.mjs migrate && exec node dist/src/main.js');
    expect(cmd).not.toMatch(/tsx|\.ts\b/);
    expect(runtime.instructions.find((i) => i.op === 'USER')?.args).toBe('node');
    expect(runtime.instructions.some((i) => i.op === 'ENV' && /\bNODE_ENV=production\b/.test(i.args))).toBe(true);
    expect(runtime.instructions.some((i) => i.op === 'HEALTHCHECK' && i.args.includes('/healthz'))).toBe(true);
  });
});

describe("the image's files alone", () => {
  const dir = mkdtempSync(join(tmpdir(), 'omnipay-image-'));
  const env = { NODE_ENV: 'production', APP_SECRET: 'image-test-secret-0123456789abcdef0123', DATA_DIR: join(dir, 'data'), HTTP_PORT: '0', METRICS_PORT: '0', PAYMENT_WEBHOOK_SECRET: 'image-test-payment-secret-0123456789', LOG_LEVEL: 'info' };
  const run = promisify(execFile);
  let p: Spawned | undefined;
  afterAll(async () => {
    await stopProcess(p);
  });

  it('run the migrations and the assistant (console chat, /healthz) from compiled code; converse is not there', async () => {
    // The files the COPY lines name, taken from this checkout (dist/ as just compiled); node_modules
    // is this checkout's (the image has the pruned one; the import check above covers the difference).
    const app = join(dir, 'app');
    for (const [p, f] of shipped) {
      if (p === 'node_modules') continue;
      mkdirSync(dirname(join(app, p)), { recursive: true });
      copyFileSync(join(ROOT, f.path), join(app, p));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    const base = { PATH: process.env.PATH ?? '', ...env };
    const migrated = await run(process.execPath, ['bin/omnipay.mjs', 'migrate', '--json'], { cwd: app, env: base, timeout: 60_000 });
    expect(JSON.parse(migrated.stdout)).toMatchObject({ applied: expect.any(Array) });
    const refused = await run(process.execPath, ['bin/omnipay.mjs', 'converse', 'x.yaml'], { cwd: app, env: { ...base, NODE_ENV: 'development' } }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1, stderr: 'omnipay: converse is a test tool and is not installed here (no test kit in this build)\n' });

    p = spawnCompiled('dist/src/main.js', [], env, app);
    await p.waitFor('What would you like to do?', 90_000);
    p.write('/help');
    await p.waitFor('Commands: /menu', 30_000);
    const port = Number(/"port":(\d+),"msg":"http listening"/.exec(p.stderr())?.[1]);
    expect(port).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 180_000);
});
