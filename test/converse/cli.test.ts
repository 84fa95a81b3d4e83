import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import '../../src/cli/commands.js';

/** Runs `omnipay <argv>` in-process and returns the exit code and what it printed. */
async function omnipay(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, app: async () => { throw new Error('converse opens its own apps'); } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('omnipay converse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omnipay-converse-cli-'));
  const good = join(dir, 'good.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(good, 'name: help works\nsteps:\n  - send: /help\n  - expect: I can help you\n');
  writeFileSync(bad, 'name: help is wrong\nsteps:\n  - send: /help\n  - expect: { exact: Nope }\n');

  it('reports each script, writes JUnit XML, and exits 0 when all pass', async () => {
    const junit = join(dir, 'ok.xml');
    const r = await omnipay(['converse', good, '--junit', junit]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('✓ help works  [inprocess]');
    expect(r.out).toContain('1 script runs: 1 passed, 0 failed, 0 skipped');
    expect(readFileSync(junit, 'utf8')).toContain('<testcase classname="' + good + '" name="help works"');
  });

  it('exits 1 with the first difference when a script fails, on the console channel too', async () => {
    const r = await omnipay(['converse', dir, '--channel', 'console']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ help is wrong  [console]');
    expect(r.out).toContain('step 2 (line 4) expect: the reply is not exactly as expected');
    expect(r.out).toContain('    expected: "Nope"');
    expect(r.err).toBe('omnipay: 1 of 2 conversation scripts failed');
  });

  it('prints JSON with --json and refuses a bad script file in one line', async () => {
    const r = await omnipay(['converse', good, '--json']);
    expect(JSON.parse(r.out)).toMatchObject({ passed: 1, failed: 0, results: [{ name: 'help works', status: 'passed' }] });
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, 'name: x\nsteps:\n  - shout: hi\n');
    const b = await omnipay(['converse', broken]);
    expect(b.code).toBe(1);
    expect(b.err).toBe(`omnipay: ${broken}:3: step 1: no action in this step (keys: shout); use one of send, media, press, expect, buttons, image, file, deleted, no-reply, email, no-email, advance, restart, cli, confirm-payment, as, set, logs-exclude, slack, slack-expect`);
  });
});
