import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { readMigrations } from '../../src/infra/db/migrator.js';
import { SETUPS } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { CLI, spawnCompiled, stopProcess, type Spawned } from '../app/process.js';

/** Runs `omnipay <argv>` in this process against `app`, capturing what it prints. */
async function omnipay(app: TestApp, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, app: async () => app });
  return { code, out, err };
}

for (const setup of SETUPS) {
  describe(`omnipay migrate on ${setup.db}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('reports an up-to-date database, as text and as JSON', async () => {
      const n = readMigrations().length;
      expect(await omnipay(app, ['migrate'])).toEqual({ code: 0, out: [`up to date (${n} migrations)`], err: [] });
      expect(await omnipay(app, ['migrate', '--json'])).toEqual({ code: 0, out: [JSON.stringify({ applied: [], alreadyApplied: n })], err: [] });
    });

    it('fails with one line and a non-zero code', async () => {
      const unknown = await omnipay(app, ['migrate', '--nope']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.err).toEqual(["error: unknown option '--nope'"]);
      const chat = await omnipay(app, ['chat']);
      expect(chat).toEqual({ code: 1, out: [], err: ['omnipay: chat runs only from a terminal'] });
    });
  });
}

describe('omnipay chat', () => {
  let p: Spawned | undefined;
  afterAll(async () => {
    await stopProcess(p);
  });

  it('opens the console chat and ends with its input', async () => {
    p = spawnCompiled(CLI, ['chat'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-chat-')) });
    p.write('/help');
    p.child.stdin!.end();
    expect(await p.exited).toBe(0);
    expect(p.stdout()).toContain('What would you like to do?');
    expect(p.stdout()).toContain('Commands: /menu shows the dashboard');
  }, 180_000);
});
