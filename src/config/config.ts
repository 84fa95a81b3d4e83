import { z } from 'zod';
import { parseLimits } from '../domain/money/limits.js';
import { parseFailpoints } from '../lib/failpoints.js';

/** A configuration problem; its message is the one line the program prints before stopping. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const whole = (what: string) => z.coerce.number({ error: what }).refine(Number.isInteger, what);
// 0 asks the system for a free port (tests); the bound port is logged.
const port = whole('a whole number from 0 to 65535').pipe(z.number().min(0, 'a whole number from 0 to 65535').max(65535, 'a whole number from 0 to 65535'));
const posInt = whole('a whole number of at least 1').pipe(z.number().min(1, 'a whole number of at least 1'));
const nonNegInt = whole('a whole number of at least 0').pipe(z.number().min(0, 'a whole number of at least 0'));
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
const url = (protocols: string[]) =>
  z.string().refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, `a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);
const limits = (fallback: string) => z.string().default(fallback).transform((s, ctx) => {
  try {
    return parseLimits(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `a list like "JPY 1000, USD 10" (${(err as Error).message})` });
    return z.NEVER;
  }
});
const zone = z.string().refine((z) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Tokyo');

/** Every variable the program reads, with what it expects. Descriptions feed the one-line errors. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  APP_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_PORT: port.optional(),
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  OPERATOR_TIMEZONE: zone.default('Asia/Tokyo'),
  DEFAULT_LANGUAGE: z.enum(['en', 'ja']).default('en'),

  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'a bot token like 123456:ABC-DEF from @BotFather').optional(),
  TELEGRAM_API_ROOT: url(['http:', 'https:']).default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: url(['https:', 'http:']).optional(),
  TELEGRAM_MAX_MESSAGES_PER_SECOND: posInt.default(30),
  TELEGRAM_CHAT_MESSAGES_PER_SECOND: posInt.default(1),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z a-z 0-9 _ -').optional(),

  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().min(1).optional(),
  SLACK_API_URL: url(['http:', 'https:']).optional(),
  SLACK_SUPPORT_CHANNEL: z.string().min(1).optional(),
  SLACK_SUPPORT_USERS: csv.default([]),
  SLACK_ADMIN_USERS: csv.default([]),
  // Support desk: alerts and hand-offs.
  ALERT_CHARGE_OVER: limits('USD 1000, EUR 1000, JPY 150000'),
  SUPPORT_REPLY_MINUTES: posInt.default(10),
  SUPPORT_TICKETS_PER_DAY: posInt.default(3),
  SLACK_APPROVAL_HOURS: posInt.default(24),

  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('OMNIPAY <no-reply@omnipay.local>'),
  PUBLIC_BOT_USERNAME: z.string().regex(/^\w{3,64}$/, 'a Telegram bot username without @').optional(),

  PAYMENT_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  PROCESSOR_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),

  // Policies (minutes / hours / counts).
  SESSION_IDLE_MINUTES: posInt.default(15),
  SESSION_MAX_HOURS: posInt.default(12),
  CONVERSATION_IDLE_HOURS: posInt.default(72),
  TURN_TIMEOUT_SECONDS: posInt.default(30),
  LOGIN_MAX_FAILURES: posInt.default(5),
  LOGIN_LOCK_MINUTES: posInt.default(15),
  CODE_TTL_MINUTES: posInt.default(30),
  CODE_MAX_ATTEMPTS: posInt.default(5),
  PENDING_SIGNUP_HOURS: posInt.default(24),
  CARD_BIN: z.string().regex(/^\d{6,8}$/, '6 to 8 digits').default('999901'),
  QUOTE_TTL_MINUTES: posInt.default(10),
  RATE_MAX_AGE_HOURS: posInt.default(24),
  CHARGE_EXPIRY_HOURS: posInt.default(24),
  // Test hook (with SANDBOX_PAYMENTS below): the sandbox's simulated payment delay.
  SANDBOX_PAYMENT_DELAY_SECONDS: nonNegInt.default(5),
  // Money. Limits are per charge (card) currency: `<ISO> <amount>, …` in major units.
  CHARGE_MIN: limits('JPY 1000, USD 10, EUR 10, GBP 10, AUD 10, CAD 10, CHF 10, CNY 50, HKD 50, SGD 10, KRW 10000, THB 300, KWD 3'),
  CHARGE_MAX: limits('JPY 500000, USD 5000, EUR 5000, GBP 4000, AUD 7000, CAD 7000, CHF 4500, CNY 35000, HKD 39000, SGD 6500, KRW 6500000, THB 170000, KWD 1500'),
  CHARGE_DAILY_MAX: limits('JPY 1000000, USD 10000, EUR 10000, GBP 8000, AUD 14000, CAD 14000, CHF 9000, CNY 70000, HKD 78000, SGD 13000, KRW 13000000, THB 340000, KWD 3000'),
  CARD_MAX_BALANCE: limits('JPY 1000000, USD 10000, EUR 10000, GBP 8000, AUD 14000, CAD 14000, CHF 9000, CNY 70000, HKD 78000, SGD 13000, KRW 13000000, THB 340000, KWD 3000'),
  FX_DEFAULT_SPREAD_BPS: z.coerce.number().int().min(0).max(9999).default(100),
  FX_DEFAULT_FEE_BPS: z.coerce.number().int().min(0).max(9999).default(100),
  CHARGE_SAME_CURRENCY_FEE_BPS: z.coerce.number().int().min(0).max(9999).default(0),

  // Test hooks: refused in production.
  CAPTCHA_TEST_ANSWER: z.string().min(1).max(16).optional(),
  CLOCK_OFFSET_MS: whole('a whole number of milliseconds (may be negative)').optional(),
  // Unset: on outside production, off in production (where setting it is refused).
  SANDBOX_PAYMENTS: bool.optional(),
  // Test hook: failpoints that crash the process or fail a call (src/lib/failpoints.ts).
  OMNIPAY_FAILPOINTS: z.string().max(2000).optional().superRefine((v, ctx) => {
    if (v === undefined) return;
    try {
      parseFailpoints(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `a list like "seed=7,charge.complete.after-commit:kill:2" (${(e as Error).message})` });
    }
  }),
});

export type Env = z.infer<typeof schema>;

/** The name of every variable the program reads (.env.example and the README document each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** How charges get paid: the built-in sandbox confirms them itself; `webhook` waits for the provider. */
export type PaymentMode = 'sandbox' | 'webhook';

/** Validated configuration, read once at start. */
export interface Config extends Omit<Env, 'SANDBOX_PAYMENTS'> {
  embedded: boolean;
  testHooks: boolean;
  /** Sandbox payments on (the default outside production; never in production). */
  SANDBOX_PAYMENTS: boolean;
  /** The payment mode in use, named in the start-up log and `/healthz`. */
  paymentMode: PaymentMode;
}

/** Variables that exist for tests and demos only: each is refused when NODE_ENV=production. */
export const TEST_HOOKS = ['CAPTCHA_TEST_ANSWER', 'CLOCK_OFFSET_MS', 'SANDBOX_PAYMENTS', 'SANDBOX_PAYMENT_DELAY_SECONDS', 'OMNIPAY_FAILPOINTS'] as const;

/**
 * Parses and validates the environment. Throws {@link ConfigError} whose message names the variable
 * and what is expected, e.g. `HTTP_PORT: expected a whole number from 1 to 65535, got "abc"`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    const got = raw[name];
    const shown = name.includes('SECRET') || name.includes('TOKEN') || name.includes('URL') ? '(hidden)' : JSON.stringify(got);
    throw new ConfigError(`${name}: expected ${describe(issue)}${got === undefined ? '' : `, got ${shown}`}`);
  }
  const c = parsed.data;
  const fail = (msg: string) => {
    throw new ConfigError(msg);
  };
  if (c.NODE_ENV === 'production') {
    for (const hook of TEST_HOOKS) if (raw[hook] !== undefined) fail(`${hook}: test hook refused when NODE_ENV=production; unset it`);
    if (!c.APP_SECRET) fail('APP_SECRET: required when NODE_ENV=production (at least 32 characters)');
    if (!c.PAYMENT_WEBHOOK_SECRET) fail("PAYMENT_WEBHOOK_SECRET: required when NODE_ENV=production (charges are paid only through the provider's signed webhook)");
  }
  const sandbox = c.SANDBOX_PAYMENTS ?? c.NODE_ENV !== 'production';
  if (!sandbox && !c.PAYMENT_WEBHOOK_SECRET) fail('PAYMENT_WEBHOOK_SECRET: required with SANDBOX_PAYMENTS=false (otherwise no charge could ever be paid)');
  if (c.DATABASE_URL && !c.APP_SECRET) fail('APP_SECRET: required with DATABASE_URL (every process sharing the database must share the key)');
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) fail('TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL');
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_BOT_TOKEN) fail('TELEGRAM_BOT_TOKEN: required with TELEGRAM_WEBHOOK_URL');
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) fail('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SUPPORT_CHANNEL) fail('SLACK_SUPPORT_CHANNEL: required with SLACK_BOT_TOKEN');
  const httpWanted = Boolean(c.TELEGRAM_WEBHOOK_URL || (c.SLACK_BOT_TOKEN && !c.SLACK_APP_TOKEN) || c.PAYMENT_WEBHOOK_SECRET || c.PROCESSOR_WEBHOOK_SECRET);
  return {
    ...c,
    HTTP_PORT: c.HTTP_PORT ?? (httpWanted ? 8080 : undefined),
    embedded: !c.DATABASE_URL,
    testHooks: c.NODE_ENV !== 'production',
    SANDBOX_PAYMENTS: sandbox,
    paymentMode: sandbox ? 'sandbox' : 'webhook',
  };
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      if (issue.message.startsWith('a whole')) return issue.message;
      return issue.origin === 'number' ? `a whole number of at least ${issue.minimum}` : issue.message.startsWith('at least') ? issue.message : `at least ${issue.minimum} characters`;
    case 'too_big':
      if (issue.message.startsWith('a whole')) return issue.message;
      return issue.origin === 'number' ? `a number of at most ${issue.maximum}` : `at most ${issue.maximum} characters`;
    case 'invalid_type':
      if (issue.message.startsWith('a whole')) return issue.message;
      return issue.expected === 'number' ? 'a whole number' : `a ${issue.expected}`;
    case 'invalid_format':
      return issue.message && !issue.message.startsWith('Invalid') ? issue.message : `a value in the ${issue.format} format`;
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}
