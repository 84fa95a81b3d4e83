import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** Runs dependency-cruiser with the project's rules in `cwd`; the exit code counts the errors. */
function cruise(cwd: string, paths: string[]): { code: number; output: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, ...paths, '--config', CONFIG, '--output-type', 'err-long'], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe('dependency rules (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  const planted = mkdtempSync(join(tmpdir(), 'omnipay-deps-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  it('src/ and flows/ break none of the layer rules and have no import cycle', () => {
    const r = cruise(ROOT, ['src', 'flows']);
    expect(r.output).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  it('names each wrong-way edge of a planted tree with its rule', () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
      'package.json': JSON.stringify({ name: 'planted', type: 'module' }),
      'flows/probe/machine.ts': `import { readFileSync } from 'node:fs';\nimport { audit } from '../../src/services/audit.js';\nexport const x = [readFileSync, audit];\n`,
      'src/domain/money.ts': `import { log } from '../lib/logger.js';\nexport const m = log;\n`,
      'src/lib/logger.ts': `export const log = 1;\n`,
      'src/services/audit.ts': `import type { App } from '../app/app.js';\nexport const audit = (a: App) => a;\n`,
      'src/app/app.ts': `import { audit } from '../services/audit.js';\nimport { run } from '../cli/program.js';\nexport type App = { audit: typeof audit; run: typeof run };\n`,
      'src/cli/program.ts': `export const run = 1;\n`,
      'src/channels/telegram.ts': `import { audit } from '../services/audit.js';\nimport { runner } from '../testkit/runner.js';\nexport const t = [audit, runner];\n`,
      'src/testkit/runner.ts': `export const runner = 1;\n`,
      'src/engine/a.ts': `import { b } from './b.js';\nexport const a = () => b;\n`,
      'src/engine/b.ts': `import { a } from './a.js';\nexport const b = () => a;\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(planted, path)), { recursive: true });
      writeFileSync(join(planted, path), text);
    }
    const r = cruise(planted, ['src', 'flows']);
    expect(r.code).toBeGreaterThan(0);
    // One violation per "error <rule>: <from> → <to>"; a cycle lists its modules on the lines after.
    const found = [...r.output.matchAll(/error ([a-z-]+): (\S+) → \s*(\S+)/g)].map((m) => `${m[1]}: ${m[2]} → ${m[3]}`).sort();
    expect(found).toEqual(
      [
        'app-is-not-cli: src/app/app.ts → src/cli/program.ts',
        'channels-use-ports: src/channels/telegram.ts → src/services/audit.ts',
        'channels-use-ports: src/channels/telegram.ts → src/testkit/runner.ts',
        'domain-is-pure: src/domain/money.ts → src/lib/logger.ts',
        'flows-are-pure: flows/probe/machine.ts → fs',
        'flows-are-pure: flows/probe/machine.ts → src/services/audit.ts',
        'no-circular: src/app/app.ts → src/services/audit.ts',
        'no-circular: src/engine/a.ts → src/engine/b.ts',
        'services-never-import-up: src/services/audit.ts → src/app/app.ts',
        'testkit-stays-out: src/channels/telegram.ts → src/testkit/runner.ts',
      ].sort(),
    );
  });
});
