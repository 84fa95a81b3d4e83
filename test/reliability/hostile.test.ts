import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostileDriver } from './hostile-driver.js';

// Seeded and replayable: OMNIPAY_SEED=<seed> replays a drive exactly; HOSTILE_RUNS sets its length.
const SEED = Number(process.env.OMNIPAY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.HOSTILE_RUNS ?? 50);

describe(`hostile input at every state on PGlite + memory (seed ${SEED}: OMNIPAY_SEED=${SEED} replays)`, () => {
  let driver: HostileDriver;
  beforeAll(async () => {
    console.log(`hostile input: seed ${SEED} (replay with OMNIPAY_SEED=${SEED})`);
    driver = await HostileDriver.open(SEED);
  });
  afterAll(async () => {
    await driver?.close();
  });

  it(`${RUNS} chats walk the flows with unicode, 100 KB, control characters, lone surrogates, wrong-state commands, forged buttons and media between their steps: every input answered in time without a throw, the snapshot decodes, /menu shows the dashboard`, async () => {
    const f = await driver.drive(RUNS);
    console.log(`hostile figures: ${JSON.stringify(f)}`);
    expect(f.failures, `seed ${SEED}`).toEqual([]);
    expect(f.runs).toBeGreaterThanOrEqual(RUNS);
    // The main kinds of hostile input were sent (each ~15 times a drive), in at least ten distinct flow states.
    expect(Object.keys(f.byKind)).toEqual(expect.arrayContaining(['command', 'forged button', 'huge text', 'media', 'slash text', 'text']));
    expect(f.statesHit, 'distinct flow states a hostile input was sent in').toBeGreaterThanOrEqual(10);
  }, 300_000);
});
