import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrashDriver, type RunReport } from './crash-driver.js';

// Crashes happen only in the assistant processes the driver spawns (compiled dist/, built by the
// global set-up), never in this worker. OMNIPAY_SEED replays a failing drive; CRASH_RUNS sets its length.
const SEED = Number(process.env.OMNIPAY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.CRASH_RUNS ?? 20);

describe(`crash runs on PostgreSQL + Redis (seed ${SEED}: OMNIPAY_SEED=${SEED} replays)`, () => {
  let driver: CrashDriver;
  const reports: RunReport[] = [];
  beforeAll(async () => {
    console.log(`crash runs: seed ${SEED} (replay with OMNIPAY_SEED=${SEED})`);
    driver = await CrashDriver.open(SEED, (line) => console.log(line));
  });
  afterAll(async () => {
    await driver?.close();
  });

  it(`${RUNS} runs, each crashed at a failpoint or from outside and restarted: ledger clean, charges completed once, usages posted once after every restart`, async () => {
    for (let i = 0; i < RUNS; i++) {
      reports.push(await driver.run());
      expect(driver.figures.failures, `seed ${SEED}`).toEqual([]);
    }
    expect(driver.figures.restarts).toBe(RUNS - 1);
    // The drive injected crashes, not just outside kills (the seed picks points the traffic reaches).
    expect(reports.filter((r) => r.fired).length, `seed ${SEED}: failpoints that fired`).toBeGreaterThan(0);
  }, 900_000);

  it('replays across two processes at once: the same payment confirmation and processor transaction 50 times each → one ledger entry each, one decision, one e-mail', async () => {
    const r = await driver.replayAcrossTwo(50);
    expect(r).toEqual({ chargeEntries: 1, usageEntries: 1, usageRows: 1, chargeAnswers: ['200 completed'], usageAnswers: ['200 approved'], mails: 1 });
  }, 180_000);

  it('canary secrets (password, PIN, code, deep-link token, card number plain and with spaces) typed into the chat appear in no trace log, column, Redis key or value, DATA_DIR file, metric or chat output', async () => {
    const r = await driver.canaryScan();
    expect(r.canaries).toHaveLength(6);
    expect(r.found).toEqual([]);
  }, 180_000);

  it('after a clean restart every e-mail arrived at least once (duplicates only across crashes), every notice reached the chat, nothing is unanswered', async () => {
    const f = await driver.finish();
    console.log(`crash figures: ${JSON.stringify(f)}`);
    expect(f.failures, `seed ${SEED}`).toEqual([]);
    // Every charge the provider confirmed completed, every usage (well funded) approved.
    expect(f.chargesCreated).toBeGreaterThanOrEqual(2);
    expect(f.chargesCompleted).toBe(f.chargesCreated);
    expect(f.usagesPosted).toBe(f.usagesSent);
  }, 180_000);

  it('omnipay ledger verify is clean on the drive\'s database', async () => {
    const { code, out } = await driver.cliVerify();
    expect(code, out).toBe(0);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({ ok: true, violations: [] });
  }, 120_000);
});
