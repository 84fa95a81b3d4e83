import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlSocketPath, controlTokenPath } from '../../src/infra/control.js';
import { ASSISTANT, CLI, ROOT, spawnCompiled, stopProcess, waitForFile, type Spawned } from '../app/process.js';

/*
 * The embedded database is opened by one process at a time; while the assistant runs, operator
 * commands in another terminal reach it through its control socket.
 */
describe('embedded database in DATA_DIR', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'omnipay-datadir-'));
  let assistant: Spawned;
  const others: Spawned[] = [];

  beforeAll(async () => {
    assistant = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir });
    await assistant.waitFor('What would you like to do?', 90_000);
    await waitForFile(controlSocketPath(dataDir), 90_000);
  }, 180_000);
  afterAll(async () => {
    for (const p of [...others, assistant]) await stopProcess(p);
  });

  it('locks the folder with the pid of the running assistant', () => {
    const pid = Number(readFileSync(join(dataDir, 'omnipay.lock'), 'utf8'));
    expect(Number.isInteger(pid) && pid > 0).toBe(true);
    expect(() => process.kill(pid, 0)).not.toThrow();
  });

  it('refuses a second assistant on the same folder with one line', async () => {
    const second = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir });
    others.push(second);
    second.child.stdin!.end();
    expect(await second.exited).toBe(1);
    const lines = second.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^omnipay: DATA_DIR ${dataDir} is in use by process \\d+; operator commands reach it through that process, or set DATA_DIR to another folder$`));
    expect(second.stdout()).toBe('');
    // The first one still holds it.
    expect(existsSync(controlSocketPath(dataDir))).toBe(true);
  }, 120_000);

  it('runs CLI commands through the running assistant', async () => {
    const cli = spawnCompiled(CLI, ['migrate', '--json'], { DATA_DIR: dataDir });
    others.push(cli);
    expect(await cli.exited).toBe(0);
    expect(JSON.parse(cli.stdout().trim())).toEqual({ applied: [], alreadyApplied: readdirSync(join(ROOT, 'prisma/migrations'), { withFileTypes: true }).filter((d) => d.isDirectory()).length });
    expect(cli.stderr()).toBe('');

    const bad = spawnCompiled(CLI, ['no-such-command', '--json'], { DATA_DIR: dataDir });
    others.push(bad);
    expect(await bad.exited).not.toBe(0);
    expect(bad.stderr().trimEnd().split('\n')).toEqual(["error: unknown command 'no-such-command'"]);
  }, 120_000);

  it('keeps DATA_DIR 0700, its socket and token file 0600, and refuses a connection without the token', async () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(controlSocketPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(controlTokenPath(dataDir)).mode & 0o777).toBe(0o600);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ socketPath: controlSocketPath(dataDir), path: '/run', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ argv: ['rates', 'list'] }));
    });
    expect(status).toBe(401);
  });

  it('keeps chatting while commands run, and releases the folder when input ends', async () => {
    assistant.write('/help');
    await assistant.waitFor('Commands: /menu');
    assistant.child.stdin!.end();
    expect(await assistant.exited).toBe(0);
    expect(existsSync(join(dataDir, 'omnipay.lock'))).toBe(false);
    expect(existsSync(controlSocketPath(dataDir))).toBe(false);
  });
});
