import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../support/fake-telegram.js';
import { ASSISTANT, spawnCompiled, stopProcess, type Spawned } from '../../app/process.js';

describe('Telegram poller stopped by another poller', () => {
  let p: Spawned | undefined;
  let fake: FakeTelegram | undefined;
  afterAll(async () => {
    await stopProcess(p);
    await fake?.close();
  });

  it('exits with code 1 and a clear line instead of running deaf when getUpdates answers 409', async () => {
    fake = await FakeTelegram.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'omnipay-409-'));
    p = spawnCompiled(ASSISTANT, [], { ...fake.env(), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const deadline = Date.now() + 90_000;
    while (!fake.calls('getUpdates').length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls('getUpdates').length).toBeGreaterThan(0);
    fake.conflictOnPoll(5);
    expect(await p.exited).toBe(1);
    // With Telegram on, log lines go to stdout.
    expect(p.stdout()).toContain('409 Conflict');
    expect(p.stdout()).toContain('the assistant cannot go on; stopping');
  }, 150_000);
});
