#!/usr/bin/env node
/**
 * `npm run build` (also run by `npm install`, between `prisma generate` and the embedded-database
 * image): transpiles the program's TypeScript — the folders tsconfig.build.json includes, the
 * generated Prisma client among them — to ESM JavaScript under dist/, one file per source with the
 * same layout (src/main.ts → dist/src/main.js) and a source map beside it. No bundling: import
 * specifiers stay as written (`./x.js`), so lazy `import()`s stay lazy. Files read at run time
 * (migrations, .ftl catalogues, the PGlite image) are not copied: the program finds them from the
 * package root (src/lib/paths.ts).
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, with esbuild only. The type
 * check is `tsc --noEmit` (npm test). The new tree is written beside dist/ and swapped in, so files
 * of deleted sources never linger and a running process never sees a half-written dist/.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSCONFIG = join(ROOT, 'tsconfig.build.json');

/** The sources to compile: every .ts file under the folders tsconfig.build.json includes. */
export function buildSources() {
  const { include } = JSON.parse(readFileSync(TSCONFIG, 'utf8'));
  return include.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(dir, f))
      .sort(),
  );
}

/** Compiles into `outdir` (default dist/) and returns how many files and how long it took. */
export async function build(outdir = join(ROOT, 'dist')) {
  const started = Date.now();
  const sources = buildSources();
  // Unique names: two builds at once (two test runs in one checkout) must not share a folder.
  const next = `${outdir}.next-${process.pid}`;
  const old = `${outdir}.old-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await esbuild({
    absWorkingDir: ROOT,
    entryPoints: sources,
    outbase: '.',
    outdir: next,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: true,
    tsconfig: TSCONFIG,
    logLevel: 'warning',
  }).catch((err) => {
    rmSync(next, { recursive: true, force: true });
    throw err;
  });
  for (let attempt = 0; ; attempt++) {
    try {
      if (existsSync(outdir)) renameSync(outdir, old);
      renameSync(next, outdir);
      break;
    } catch (err) {
      // Another build swapped its tree in between: move that one aside too and try again.
      if (attempt >= 5 || !['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(err.code)) throw err;
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  }
  return { files: sources.length, ms: Date.now() - started };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  build().then(
    ({ files, ms }) => console.log(`omnipay: compiled ${files} files into dist/ in ${ms} ms`),
    (err) => {
      console.error(`omnipay: build failed: ${err.message.split('\n')[0]}`);
      process.exit(1);
    },
  );
}
