import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const MAX_LINES = 300;

describe('file size', () => {
  it(`no hand-written .ts file in src/ or flows/ has more than ${MAX_LINES} lines (src/generated/ aside)`, () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'src', 'flows'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.startsWith('src/generated/'));
    expect(files.length).toBeGreaterThan(50);
    const long = files
      .map((f) => ({ f, lines: readFileSync(resolve(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > MAX_LINES)
      .map((x) => `${x.f}: ${x.lines} lines (split it along its seams)`);
    expect(long).toEqual([]);
  });
});
