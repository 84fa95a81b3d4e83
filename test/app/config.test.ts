import { describe, expect, it } from 'vitest';
import { ConfigError, TEST_HOOKS, loadConfig } from '../../src/config/config.js';
import { ASSISTANT, spawnCompiled } from './process.js';

const SECRET = 'x'.repeat(32);

/** The one-line error loadConfig throws for `env`. */
function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  it('defaults to the embedded set-up with nothing set', () => {
    const c = loadConfig({});
    expect(c.embedded).toBe(true);
    expect(c.DATA_DIR).toBe('./data');
    expect(c.HTTP_PORT).toBeUndefined();
    expect(c.OPERATOR_TIMEZONE).toBe('Asia/Tokyo');
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.testHooks).toBe(true);
  });

  it('support desk defaults: large charges over USD 1000 / EUR 1000 / JPY 150000 (minor units), a reminder after 10 minutes, 3 tickets a day', () => {
    const c = loadConfig({});
    expect(Object.fromEntries(c.ALERT_CHARGE_OVER)).toEqual({ USD: 100000n, EUR: 100000n, JPY: 150000n });
    expect(c.SUPPORT_REPLY_MINUTES).toBe(10);
    expect(c.SUPPORT_TICKETS_PER_DAY).toBe(3);
    expect(Object.fromEntries(loadConfig({ ALERT_CHARGE_OVER: 'KWD 2.5' }).ALERT_CHARGE_OVER)).toEqual({ KWD: 2500n });
  });

  it('turns HTTP on at 8080 when an HTTP channel is configured', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_URL: 'https://x.example/tg', TELEGRAM_WEBHOOK_SECRET: 's' }).HTTP_PORT).toBe(8080);
    expect(loadConfig({ HTTP_PORT: '0' }).HTTP_PORT).toBe(0);
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ['HTTP_PORT not a number', { HTTP_PORT: 'abc' }, /^HTTP_PORT: expected a whole number from 0 to 65535, got "abc"$/],
    ['HTTP_PORT out of range', { HTTP_PORT: '70000' }, /^HTTP_PORT: expected a whole number from 0 to 65535/],
    ['HTTP_PORT fractional', { HTTP_PORT: '80.5' }, /^HTTP_PORT: expected a whole number/],
    ['DATABASE_URL without APP_SECRET', { DATABASE_URL: 'postgresql://u@h/db' }, /^APP_SECRET: required with DATABASE_URL/],
    ['DATABASE_URL of another kind', { DATABASE_URL: 'mysql://u@h/db', APP_SECRET: SECRET }, /^DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//],
    ['REDIS_URL of another kind', { REDIS_URL: 'http://h' }, /^REDIS_URL: expected a URL starting with redis:\/\//],
    ['APP_SECRET too short', { APP_SECRET: 'short' }, /^APP_SECRET: expected at least 32 characters/],
    ['TELEGRAM_WEBHOOK_URL without secret', { TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_URL: 'https://x.example/tg' }, /^TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL$/],
    ['TELEGRAM_WEBHOOK_URL without token', { TELEGRAM_WEBHOOK_URL: 'https://x.example/tg', TELEGRAM_WEBHOOK_SECRET: 's' }, /^TELEGRAM_BOT_TOKEN: required with TELEGRAM_WEBHOOK_URL$/],
    ['TELEGRAM_BOT_TOKEN malformed', { TELEGRAM_BOT_TOKEN: 'nope' }, /^TELEGRAM_BOT_TOKEN: expected a bot token like 123456:ABC-DEF/],
    ['TELEGRAM_WEBHOOK_SECRET with bad characters', { TELEGRAM_WEBHOOK_SECRET: 'a b' }, /^TELEGRAM_WEBHOOK_SECRET: expected 1-256 characters/],
    ['SLACK_BOT_TOKEN without signing secret', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SUPPORT_CHANNEL: 'C1' }, /^SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN/],
    ['SLACK_BOT_TOKEN without channel', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, /^SLACK_SUPPORT_CHANNEL: required with SLACK_BOT_TOKEN$/],
    ['bad OPERATOR_TIMEZONE', { OPERATOR_TIMEZONE: 'Mars/Olympus' }, /^OPERATOR_TIMEZONE: expected an IANA time zone such as Asia\/Tokyo, got "Mars\/Olympus"$/],
    ['bad LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"$/],
    ['bad DEFAULT_LANGUAGE', { DEFAULT_LANGUAGE: 'fr' }, /^DEFAULT_LANGUAGE: expected one of en, ja/],
    ['bad NODE_ENV', { NODE_ENV: 'prod' }, /^NODE_ENV: expected one of development, test, production/],
    ['SMTP_URL of another kind', { SMTP_URL: 'http://mail' }, /^SMTP_URL: expected a URL starting with smtp:\/\/ or smtps:\/\//],
    ['PAYMENT_WEBHOOK_SECRET too short', { PAYMENT_WEBHOOK_SECRET: 'short' }, /^PAYMENT_WEBHOOK_SECRET: expected at least 16 characters/],
    ['negative policy minutes', { SESSION_IDLE_MINUTES: '-1' }, /^SESSION_IDLE_MINUTES: expected a whole number of at least 1, got "-1"$/],
    ['policy not a number', { CODE_TTL_MINUTES: 'soon' }, /^CODE_TTL_MINUTES: expected a whole number of at least 1, got "soon"$/],
    ['approval window of no hours', { SLACK_APPROVAL_HOURS: '0' }, /^SLACK_APPROVAL_HOURS: expected a whole number of at least 1, got "0"$/],
    ['bad CARD_BIN', { CARD_BIN: '12' }, /^CARD_BIN: expected 6 to 8 digits, got "12"$/],
    ['bad boolean', { SANDBOX_PAYMENTS: 'maybe' }, /^SANDBOX_PAYMENTS: expected one of 0, 1, true, false, yes, no/],
    ['fractional CLOCK_OFFSET_MS', { CLOCK_OFFSET_MS: '1.5' }, /^CLOCK_OFFSET_MS: expected a whole number of milliseconds/],
    ['ALERT_CHARGE_OVER not a limit list', { ALERT_CHARGE_OVER: 'lots' }, /^ALERT_CHARGE_OVER: expected a list like "JPY 1000, USD 10"/],
    ['ALERT_CHARGE_OVER with an unknown currency', { ALERT_CHARGE_OVER: 'XXQ 10' }, /^ALERT_CHARGE_OVER: expected a list like "JPY 1000, USD 10"/],
    ['SUPPORT_REPLY_MINUTES zero', { SUPPORT_REPLY_MINUTES: '0' }, /^SUPPORT_REPLY_MINUTES: expected a whole number of at least 1, got "0"$/],
    ['SUPPORT_TICKETS_PER_DAY not a number', { SUPPORT_TICKETS_PER_DAY: 'many' }, /^SUPPORT_TICKETS_PER_DAY: expected a whole number of at least 1, got "many"$/],
    ['production without APP_SECRET', { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'provider-secret-0123456789' }, /^APP_SECRET: required when NODE_ENV=production/],
  ];
  it.each(cases)('%s: one line naming the variable', (_name, env, expected) => {
    const msg = errorOf(env);
    expect(msg).toMatch(expected);
    expect(msg).not.toContain('\n');
  });

  it('never echoes a secret or URL value in the error', () => {
    expect(errorOf({ APP_SECRET: 'hunter2' })).not.toContain('hunter2');
    expect(errorOf({ DATABASE_URL: 'mysql://user:pw123@h/db', APP_SECRET: SECRET })).not.toContain('pw123');
    expect(errorOf({ TELEGRAM_BOT_TOKEN: 'leaky-token' })).not.toContain('leaky-token');
  });

  it('production refuses every test hook, each with one line naming it', () => {
    // A sample value for every hook; a hook added to TEST_HOOKS without one fails here.
    const samples: Record<string, string> = { CAPTCHA_TEST_ANSWER: 'TEST42', CLOCK_OFFSET_MS: '60000', SANDBOX_PAYMENTS: 'true', SANDBOX_PAYMENT_DELAY_SECONDS: '5', OMNIPAY_FAILPOINTS: 'charge.complete.after-commit:kill' };
    expect([...TEST_HOOKS].sort()).toEqual(expect.arrayContaining(['CAPTCHA_TEST_ANSWER', 'CLOCK_OFFSET_MS', 'SANDBOX_PAYMENTS']));
    const prodBase = { NODE_ENV: 'production', APP_SECRET: SECRET, PAYMENT_WEBHOOK_SECRET: 'provider-secret-0123456789' };
    for (const hook of TEST_HOOKS) {
      expect(samples[hook], `a sample value for ${hook}`).toBeDefined();
      expect(errorOf({ ...prodBase, [hook]: samples[hook]! })).toBe(`${hook}: test hook refused when NODE_ENV=production; unset it`);
    }
    // Even switching the sandbox off explicitly is refused: production has no sandbox to switch.
    expect(errorOf({ ...prodBase, SANDBOX_PAYMENTS: 'false' })).toBe('SANDBOX_PAYMENTS: test hook refused when NODE_ENV=production; unset it');
    const prod = loadConfig(prodBase);
    expect(prod.testHooks).toBe(false);
    expect(prod.SANDBOX_PAYMENTS).toBe(false);
    expect(prod.paymentMode).toBe('webhook');
    // Outside production the hooks are accepted.
    expect(loadConfig({ CAPTCHA_TEST_ANSWER: 'TEST42', CLOCK_OFFSET_MS: '-5' }).CLOCK_OFFSET_MS).toBe(-5);
  });

  it('every variable documented as a test hook in .env.example and the README is in TEST_HOOKS', async () => {
    const { readFileSync } = await import('node:fs');
    const env = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const section = env.slice(env.indexOf('# --- Test hooks'));
    const inEnv = [...section.matchAll(/^#?([A-Z_]+)=/gm)].map((m) => m[1]!);
    expect(inEnv.sort()).toEqual([...TEST_HOOKS].sort());
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const inReadme = [...readme.matchAll(/^\| `([A-Z_]+)` \| test hook/gm)].map((m) => m[1]!);
    expect(inReadme.sort()).toEqual([...TEST_HOOKS].sort());
  });

  it('OMNIPAY_FAILPOINTS: a bad point, action or hit stops the program with one line and an example', () => {
    expect(loadConfig({ OMNIPAY_FAILPOINTS: 'seed=3,charge.complete.before-commit:throw:2,outbox.send.after' }).OMNIPAY_FAILPOINTS).toBe('seed=3,charge.complete.before-commit:throw:2,outbox.send.after');
    expect(errorOf({ OMNIPAY_FAILPOINTS: 'charge.complete.nowhere' })).toMatch(/^OMNIPAY_FAILPOINTS: expected a list like ".*" \(unknown failpoint "charge.complete.nowhere", e.g. charge.complete.before-commit\)/);
    expect(errorOf({ OMNIPAY_FAILPOINTS: 'outbox.send.after:explode' })).toContain('bad action "explode"');
    expect(errorOf({ OMNIPAY_FAILPOINTS: 'outbox.send.after:kill:0' })).toContain('bad hit "0"');
  });

  it('sandbox payments are on by default only outside production', () => {
    expect(loadConfig({}).SANDBOX_PAYMENTS).toBe(true);
    expect(loadConfig({}).paymentMode).toBe('sandbox');
    expect(loadConfig({ NODE_ENV: 'test' }).paymentMode).toBe('sandbox');
    expect(loadConfig({ NODE_ENV: 'development', SANDBOX_PAYMENTS: 'false', PAYMENT_WEBHOOK_SECRET: 'provider-secret-0123456789' }).paymentMode).toBe('webhook');
  });

  it('production without PAYMENT_WEBHOOK_SECRET stops with one line (no charge could ever be paid)', () => {
    expect(errorOf({ NODE_ENV: 'production', APP_SECRET: SECRET })).toBe('PAYMENT_WEBHOOK_SECRET: required when NODE_ENV=production (charges are paid only through the provider\'s signed webhook)');
  });

  it('sandbox off without PAYMENT_WEBHOOK_SECRET stops with one line (a charge that can never complete is not offered)', () => {
    expect(errorOf({ SANDBOX_PAYMENTS: 'false' })).toBe('PAYMENT_WEBHOOK_SECRET: required with SANDBOX_PAYMENTS=false (otherwise no charge could ever be paid)');
  });

  it('`npm start` with a bad variable exits non-zero printing exactly one line naming it', async () => {
    for (const [name, value, expected] of [
      ['HTTP_PORT', 'abc', 'omnipay: HTTP_PORT: expected a whole number from 0 to 65535, got "abc"'],
      ['OPERATOR_TIMEZONE', 'Nowhere/City', 'omnipay: OPERATOR_TIMEZONE: expected an IANA time zone such as Asia/Tokyo, got "Nowhere/City"'],
    ] as const) {
      const p = spawnCompiled(ASSISTANT, [], { [name]: value, DATA_DIR: '/nonexistent/never-created' });
      const code = await p.exited;
      expect(code).not.toBe(0);
      expect(p.stdout()).toBe('');
      expect(p.stderr().trimEnd().split('\n')).toEqual([expected]);
    }
    const p = spawnCompiled(ASSISTANT, [], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test' });
    expect(await p.exited).not.toBe(0);
    expect(p.stderr().trimEnd().split('\n')).toEqual(['omnipay: APP_SECRET: required with DATABASE_URL (every process sharing the database must share the key)']);
  }, 180_000); // three spawned processes
});

describe('.env.example', () => {
  it('documents every variable the program reads, each with a comment', async () => {
    const { readFileSync } = await import('node:fs');
    const { CONFIG_VARIABLES } = await import('../../src/config/config.js');
    const lines = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');
    const missing = CONFIG_VARIABLES.filter((v) => !lines.some((l) => new RegExp(`^#?${v}=`).test(l)));
    expect(missing).toEqual([]);
    for (const v of CONFIG_VARIABLES) {
      const i = lines.findIndex((l) => new RegExp(`^#?${v}=`).test(l));
      // The nearest line above that is not a variable is its comment.
      let j = i - 1;
      while (j >= 0 && /^#?[A-Z_]+=/.test(lines[j]!)) j--;
      expect(lines[j], v).toMatch(/^# \S/);
    }
  });
});
