import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.js';
import type { ChannelName } from '../../src/testkit/format.js';
import { parseScripts } from '../../src/testkit/parse.js';
import { formatResult, toJUnit } from '../../src/testkit/report.js';
import { runScript, type RunOptions } from '../../src/testkit/runner.js';
import type { Isolation } from '../../src/testkit/world.js';
import { TEST_PG_URL, TEST_REDIS_URL } from '../support/db.js';
import { probeEntry } from './probe-flow.js';

const PGLITE: Isolation = { db: 'pglite', store: 'memory' };
const POSTGRES: Isolation = { db: 'postgres', store: 'redis', databaseUrl: TEST_PG_URL, redisUrl: TEST_REDIS_URL };

/** Runs an inline YAML script with the probe flow available. */
async function run(yaml: string, o: { channel?: ChannelName; isolation?: Isolation } = {}) {
  const [script] = parseScripts(yaml, 'inline.yaml');
  const ref: { current?: App } = {};
  const opts: RunOptions = { channel: o.channel ?? 'inprocess', isolation: o.isolation ?? POSTGRES, flows: [probeEntry(ref)], onApp: (app) => (ref.current = app) };
  return runScript(script!, opts);
}

describe('conversation script runner', () => {
  it('passes a script whose every expectation holds', async () => {
    const r = await run(`
name: greeting
steps:
  - send: /start
  - expect: Welcome to OMNIPAY
  - expect: { exact: What would you like to do? }
  - send: /probe
  - expect: { exact: probe-ready, buttons: [OK] }
  - buttons: { exact: [OK] }
  - press: OK
  - expect: { key: menu-guest }
  - no-reply: true
`, { isolation: PGLITE });
    expect(r.status, formatResult(r)).toBe('passed');
    expect(r.passedSteps).toBe(9);
  });

  it('fails on the first wrong expectation with the step, the line, expected vs actual and the transcript', async () => {
    const r = await run(`
name: wrong greeting
steps:
  - send: /start
  - expect: Goodbye
  - send: /help
`);
    expect(r.status).toBe('failed');
    expect(r.passedSteps).toBe(1);
    expect(r.failure).toMatchObject({ step: 2, line: 5, kind: 'expect', message: 'the reply does not contain "Goodbye"', expected: 'contains "Goodbye"' });
    expect(r.failure!.actual).toContain('Welcome to OMNIPAY');
    const text = formatResult(r);
    expect(text).toContain('✗ wrong greeting  [inprocess]  inline.yaml');
    expect(text).toContain('step 2 (line 5) expect: the reply does not contain "Goodbye"');
    expect(text).toContain('    expected: contains "Goodbye"');
    expect(text).toMatch(/ {4}actual: {3}"Welcome to OMNIPAY/);
    expect(text).toContain('user > /start');
    // The step after the failure never ran.
    expect(r.transcript.join('\n')).not.toContain('/help');
    const junit = toJUnit([r]);
    expect(junit).toContain('<testcase classname="inline.yaml" name="wrong greeting"');
    expect(junit).toContain('<failure message="step 2 expect: the reply does not contain &quot;Goodbye&quot;"');
  });

  it('reports a missing reply, a missing button and a wrong language precisely', async () => {
    const none = await run(`
name: silence
steps:
  - send: /start
  - expect: Welcome
  - expect: What would you like
  - expect: anything more
`);
    expect(none.failure).toMatchObject({ step: 4, line: 7, message: 'no reply from the bot (expected a message)', actual: '(nothing more)' });
    const button = await run(`
name: no such button
steps:
  - send: /probe
  - press: Submit
`);
    expect(button.failure).toMatchObject({ step: 2, kind: 'press', expected: 'a button "Submit"', actual: 'buttons ["OK"]' });
    const lang = await run(`
name: not japanese
steps:
  - send: /help
  - expect: { lang: ja }
`);
    expect(lang.failure).toMatchObject({ step: 2, message: 'the reply is not in ja' });
  });

  it('captures a code from an e-mail and types it later', async () => {
    const r = await run(`
name: e-mail code
vars: { email: bob@example.com }
steps:
  - send: /probe
  - send: mail \${email}
  - expect: probe-mailed
  - email: { to: "\${email}", subject: probe code, body: "your code:", capture: { code: 'code: (\\d{8})' } }
  - no-email: true
  - send: "\${code}"
  - expect: probe-what
`);
    expect(r.status, formatResult(r)).toBe('passed');
    expect(r.transcript).toContain('user > 12345678');
    expect(r.transcript).toContain('mail → bob@example.com: Your probe code');
  });

  it('fails clearly when the e-mail is not there or a variable was never set', async () => {
    const r = await run(`
name: no mail
steps:
  - send: /probe
  - email: { to: carol@example.com }
`);
    expect(r.failure).toMatchObject({ step: 2, message: 'no e-mail to carol@example.com', actual: '(no unread e-mail)' });
    const v = await run(`
name: unknown variable
steps:
  - send: "\${nope}"
`);
    expect(v.failure?.message).toContain('${nope} is not set');
  });

  it('advances the clock the flows see', async () => {
    const r = await run(`
name: time passes
steps:
  - send: /probe
  - advance: 31m
  - send: elapsed
  - expect: { exact: probe-elapsed-31 }
  - advance: 1h30m
  - send: elapsed
  - expect: { exact: probe-elapsed-121 }
`);
    expect(r.status, formatResult(r)).toBe('passed');
  });

  for (const isolation of [PGLITE, POSTGRES]) {
    it(`keeps the conversation across a restart (${isolation.db} + ${isolation.store})`, async () => {
      const r = await run(`
name: restart
steps:
  - send: /probe
  - expect: probe-ready
  - restart: true
  - press: OK
  - expect: { key: menu-guest }
  - send: /probe
  - advance: 2m
  - restart: true
  - send: elapsed
  - expect: { exact: probe-elapsed-2 }
`, { isolation });
      expect(r.status, formatResult(r)).toBe('passed');
      expect(r.transcript).toContain('(restarted)');
    });
  }

  for (const channel of ['telegram', 'inprocess', 'console'] as const) {
    it(`sees a deleted secret, a photo and a file on ${channel}`, async () => {
      const r = await run(`
name: secret, photo and file
steps:
  - send: /probe
  - send: secret
  - expect: probe-ask-secret
  - send: hunter2-canary
  - deleted: true
  - expect: probe-secret-kept
  - logs-exclude: [hunter2-canary]
  - send: picture
  - image: { contains: probe-picture, buttons: [OK] }
  - send: csv
  - file: { name: "*.csv", contains: "2026-11-28,1000", caption: probe-file }
  - send: elapsed
  - deleted: true
`, { channel });
      // The last step is wrong on purpose: a message without a secret stays.
      expect(r.failure, formatResult(r)).toMatchObject({ step: 13, kind: 'deleted', message: 'the last message was not deleted' });
    });
  }

  it('runs the operator CLI in-process and captures its JSON output', async () => {
    const r = await run(`
name: operator
steps:
  - cli: cards issue --email dana@example.com --currency USD --json
    capture: { last4: pinMailer.last4, pin: pinMailer.initialPin, card: card.id }
  - cli: cards list --json
    expect: \${last4}
  - cli: cards issue --json
    exit: 1
`);
    expect(r.status, formatResult(r)).toBe('passed');
    expect(r.transcript.join('\n')).toContain('operator $ omnipay cards issue --email dana@example.com --currency USD --json  → exit 0');
  });

  it('switches between participants with `as`', async () => {
    const r = await run(`
name: two people
steps:
  - send: /probe
  - as: bob
  - send: /start
  - expect: Welcome
  - as: user
  - send: elapsed
  - expect: probe-elapsed-0
`);
    expect(r.status, formatResult(r)).toBe('passed');
    expect(r.transcript).toContain('bob > /start');
  });

  it('says what is missing for payment confirmation', async () => {
    const p = await run(`
name: payment
steps:
  - confirm-payment: CHG-1
`);
    // No charge has that reference in the script's fresh database.
    expect(p.failure?.message).toBe('confirm-payment CHG-1: no charge with reference CHG-1');
  });

  it('skips a script on a channel it is not meant for', async () => {
    const r = await run(`
name: telegram only
channels: [telegram]
steps:
  - send: /start
`);
    expect(r.status).toBe('skipped');
  });
});

describe('conversation script format', () => {
  it('names the file and line of a mistake', () => {
    expect(() => parseScripts('name: x\nsteps:\n  - send: hi\n  - expct: hello\n', 'bad.yaml')).toThrow('bad.yaml:4: step 2: no action in this step (keys: expct)');
    expect(() => parseScripts('name: x\nsteps:\n  - advance: soon\n', 'bad.yaml')).toThrow('bad.yaml:3: step 1: advance: a duration like');
    expect(() => parseScripts('name: x\nsteps:\n  - send: a\n    press: b\n', 'bad.yaml')).toThrow('one action per step, found send and press');
    expect(() => parseScripts('steps: []\n', 'bad.yaml')).toThrow('bad.yaml:1: the script needs a `name`');
  });

  it('reads several scripts from one file and shorthand steps', () => {
    const s = parseScripts('name: a\nsteps:\n  - /start\n  - expect: Hi\n---\nname: b\nchannels: [telegram]\nsteps: []\n');
    expect(s.map((x) => x.name)).toEqual(['a', 'b']);
    expect(s[0]!.steps[0]).toMatchObject({ kind: 'send', text: '/start', line: 3 });
    expect(s[0]!.steps[1]).toMatchObject({ kind: 'expect', expect: { contains: 'Hi' } });
    expect(s[1]!.channels).toEqual(['telegram']);
  });
});
