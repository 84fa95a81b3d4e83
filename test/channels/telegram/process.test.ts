import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { spawn } from 'node:child_process';
import { ASSISTANT, spawnCompiled, ROOT, stopProcess, type Spawned } from '../../app/process.js';

/** `node dist/src/main.js` (what `npm start` runs), reading stdout without the shared helper's process group. */
function spawnNode(env: Record<string, string>): Spawned & { out: () => string } {
  const base: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) base[k] = process.env[k];
  const child = spawn(process.execPath, [ASSISTANT], { cwd: ROOT, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return {
    child,
    out: () => out,
    stdout: () => out,
    stderr: () => err,
    exited,
    write: (line) => void child.stdin.write(line + '\n'),
    async waitFor(text, ms = 30_000) {
      const deadline = Date.now() + ms;
      const seen = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      while (!seen()) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${String(text)}; stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** `npm start` (the compiled dist/src/main.js) with the Telegram variables set: the real entry point, the real process. */
describe('npm start with Telegram', () => {
  let fake: FakeTelegram;
  let p: Spawned | undefined;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
  });
  afterAll(async () => {
    await stopProcess(p);
    await fake?.close();
  });
  const dataDir = () => mkdtempSync(join(tmpdir(), 'omnipay-tg-'));

  it('stops at once with one line when Telegram refuses the token', async () => {
    const bad = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir(), TELEGRAM_BOT_TOKEN: '999:WRONG-token-abc', TELEGRAM_API_ROOT: fake.apiRoot });
    expect(await bad.exited).toBe(1);
    expect(bad.stderr().trimEnd().split('\n')).toEqual(['omnipay: TELEGRAM_BOT_TOKEN: Telegram refused the token (401 Unauthorized); copy it again from @BotFather']);
    expect(bad.stdout() + bad.stderr()).not.toContain('WRONG-token-abc');
  });

  it('serves a chat by long polling and shuts down cleanly on SIGTERM', async () => {
    p = spawnNode({ DATA_DIR: dataDir(), LOG_LEVEL: 'info', ...fake.env() });
    await p.waitFor('telegram started', 60_000);
    expect(p.stdout()).not.toContain(fake.token);
    const chat = 4242;
    fake.userSays(chat, '/start');
    await fake.waitForBot(chat, 'What would you like to do?', 20_000);
    expect(fake.myCommands().map((c) => c.command)).toContain('support');
    expect(fake.myCommands().length).toBe(7);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stdout()).toContain('shutting down');
    // The handled update was confirmed on the way out: a new poller would not get it again.
    expect(fake.pendingUpdates).toBe(0);
  });
});
