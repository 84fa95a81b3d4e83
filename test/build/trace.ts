import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../app/process.js';

/**
 * A module-load trace for a spawned node: `node --import <file>` registers a resolve hook that
 * appends every module URL the process loads to the trace file. What a process loaded, not how
 * long it took (start-up figures live in `npm run bench`).
 */
export function moduleTrace(): { importFlag: string; loaded(): string[]; packages(): Set<string>; ownFiles(): string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'omnipay-trace-'));
  const out = join(dir, 'loaded.txt');
  writeFileSync(out, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function resolve(specifier, context, next) {\n` +
      `  const r = await next(specifier, context);\n` +
      `  if (r.url.startsWith('file:')) appendFileSync(${JSON.stringify(out)}, r.url + '\\n');\n` +
      `  return r;\n}\n`,
  );
  writeFileSync(join(dir, 'trace.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${join(dir, 'hooks.mjs')}`).href)});\n`);
  const loaded = () => [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((u) => decodeURIComponent(new URL(u).pathname)))];
  return {
    importFlag: `--import=${join(dir, 'trace.mjs')}`,
    loaded,
    /** npm packages loaded (`@scope/name` or `name`). */
    packages: () => new Set(loaded().flatMap((p) => [.../node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.slice(1, 2) ?? []])),
    /** The project's own files loaded, relative to the root (dist/…, bin/…). */
    ownFiles: () => loaded().filter((p) => p.startsWith(ROOT) && !p.includes('/node_modules/')).map((p) => p.slice(ROOT.length)),
  };
}
