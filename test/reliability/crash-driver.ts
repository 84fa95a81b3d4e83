/**
 * The crash driver: one long-lived set-up (a PostgreSQL database, a Redis database, an SMTP sink,
 * a member with two funded cards linked to the console chat) against which the compiled assistant
 * is started again and again as a child process, each time with one failpoint armed (chosen from
 * the seed), fed payment confirmations, processor transactions and console turns until it dies or
 * its work is done, then SIGKILLed from outside if the failpoint never fired. After every restart
 * the invariants are checked; a failure names the seed and the run, so `OMNIPAY_SEED=<seed>` replays it.
 *
 * Used by test/reliability/crash.test.ts (20+ runs in `npm test`) and bench/soak.ts (hundreds).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { openApp, type App } from '../../src/app/app.js';
import { openPostgres, type Database } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrator.js';
import { MemoryStore } from '../../src/infra/store/memory.js';
import { mulberry32, type FailpointName } from '../../src/lib/failpoints.js';
import { AdjustableClock } from '../../src/lib/clock.js';
import { SIGNATURE_HEADER, sign } from '../../src/services/payments/signature.js';
import { verifyLedger } from '../../src/services/ledger/verify.js';
import { cardAccount, operatorAccount, post } from '../../src/services/ledger/index.js';
import { startTestSmtp, type TestSmtp } from '../../src/testkit/smtp-sink.js';
import { memberWithCards, type MemberFixture } from '../support/cards.js';
import { TEST_PG_URL, exclusiveRedisDb, uniqueName } from '../support/db.js';
import { ASSISTANT, signal, spawnCompiled, stopProcess, type Spawned } from '../app/process.js';
import { freePort } from '../../src/testkit/net.js';
import { standalone } from '../support/secrets.js';

/** The failpoints this traffic reaches (Slack and refunds have their own tests). */
export const CRASH_POINTS: FailpointName[] = [
  'charge.complete.before-commit', 'charge.complete.after-commit', 'usage.post.before-commit', 'usage.post.after-commit',
  'outbox.send.before', 'outbox.send.after', 'notice.deliver.before', 'notice.deliver.after', 'snapshot.write.before', 'snapshot.write.after',
];

const APP_SECRET = 'reliability-secret-0123456789abcdef0123';
const PAY_SECRET = 'reliability-pay-secret-0123456789';
const PROC_SECRET = 'reliability-proc-secret-0123456789';
/** What the chat says when a turn failed (src/i18n/en/core.ftl, error-generic). */
const GENERIC_ERROR = 'Sorry, something went wrong on our side.';
/** Each restart moves the assistant's clock on by this much, past every lease a killed process held. */
const STEP_MS = 150_000;
const FUNDS = 500_000n;

/** What one run did. */
export interface RunReport {
  run: number;
  point: string;
  action: 'kill' | 'throw';
  hit: number;
  /** The armed failpoint fired (a kill ended the process; a throw failed one call). */
  fired: boolean;
  /** Killed from outside because the failpoint never ended it. */
  outsideKill: boolean;
  charges: number;
  usages: number;
}

/** The figures of a whole drive. */
export interface DriveFigures {
  seed: number;
  runs: number;
  restarts: number;
  crashesInjected: number;
  throwsInjected: number;
  outsideKills: number;
  chargesCreated: number;
  chargesCompleted: number;
  usagesSent: number;
  usagesPosted: number;
  mails: number;
  mailDuplicates: number;
  notices: number;
  consoleTurns: number;
  /** Console turns a `throw` failpoint failed (answered with the generic error), asked again and answered. */
  turnsFailedByThrow: number;
  /** Runs whose process died before its chat answered (the next run asks again; the clean run must answer). */
  diedBeforeChat: number;
  checks: number;
  failures: string[];
  byPoint: Record<string, number>;
}

interface Charge { id: string; reference: string; acked: boolean }
interface Usage { id: string; cardId: string; merchant: string; acked: 'approved' | 'declined' | null }

/** One crash driver; {@link open}, then {@link run} as many times as wanted, then {@link finish}. */
export class CrashDriver {
  readonly rng: () => number;
  readonly figures: DriveFigures;
  private readonly charges: Charge[] = [];
  private readonly usages: Usage[] = [];
  private stdoutAll = '';
  private runs = 0;
  private child: Spawned | undefined;
  private port = 0;
  private releaseRedis: () => Promise<void> = async () => undefined;

  private constructor(readonly seed: number, private readonly db: Database, private readonly app: App, private readonly smtp: TestSmtp, private readonly member: MemberFixture, private readonly env: Record<string, string>, private readonly dbName: string, readonly log: (line: string) => void) {
    this.rng = mulberry32(seed);
    this.figures = { seed, runs: 0, restarts: 0, crashesInjected: 0, throwsInjected: 0, outsideKills: 0, chargesCreated: 0, chargesCompleted: 0, usagesSent: 0, usagesPosted: 0, mails: 0, mailDuplicates: 0, notices: 0, consoleTurns: 0, turnsFailedByThrow: 0, diedBeforeChat: 0, checks: 0, failures: [], byPoint: {} };
  }

  /** Creates the database, the SMTP sink and the member; nothing is started yet. */
  static async open(seed: number, log: (line: string) => void = () => undefined): Promise<CrashDriver> {
    const dbName = uniqueName('rel').toLowerCase();
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    const url = TEST_PG_URL.replace(/\/[^/]+$/, `/${dbName}`);
    const db = await openPostgres({ url, poolSize: 4 });
    await migrate(db);
    const smtp = await startTestSmtp();
    // A Redis database of its own (1-15): the assistant uses unprefixed keys.
    const redisDb = await exclusiveRedisDb(3 * 3600_000);
    const redis = redisDb.url;
    const env = {
      NODE_ENV: 'test', DATABASE_URL: url, REDIS_URL: redis, APP_SECRET, PAYMENT_WEBHOOK_SECRET: PAY_SECRET, PROCESSOR_WEBHOOK_SECRET: PROC_SECRET,
      SANDBOX_PAYMENTS: 'false', SMTP_URL: smtp.url, METRICS_PORT: '0', SESSION_IDLE_MINUTES: '100000', SESSION_MAX_HOURS: '10000', LOG_LEVEL: 'warn',
      CHARGE_DAILY_MAX: 'JPY 1000000000', CARD_MAX_BALANCE: 'JPY 1000000000',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'omnipay-crash-')),
    };
    const config = loadConfig({ ...env, REDIS_URL: '', SMTP_URL: '' });
    // The driver's own clock moves with the assistant's (STEP_MS a run), so the charges it creates
    // expire a day after the assistant's now, not a day after the wall clock (which the assistant
    // passes at run 576).
    const clock = new AdjustableClock(0);
    const app = await openApp(config, { db, store: new MemoryStore(), quietMetrics: true, clock });
    const member = await memberWithCards(db, { cards: 2, chatKey: 'console:local' });
    for (const card of member.cardIds) {
      await db.tx((tx) => post(tx, { idempotencyKey: `fund:${card}`, kind: 'charge', at: new Date(), postings: [{ account: cardAccount(card, 'JPY'), amount: FUNDS }, { account: operatorAccount('funding', 'JPY'), amount: -FUNDS }] }));
    }
    const driver = new CrashDriver(seed, db, app, smtp, member, env, dbName, log);
    driver.releaseRedis = redisDb.release;
    return driver;
  }

  private now(): Date {
    return new Date(Date.now() + this.runs * STEP_MS);
  }

  /** One run: start the assistant with one failpoint, drive it until it dies, check everything. */
  async run(o: { clean?: boolean } = {}): Promise<RunReport> {
    this.runs++;
    if (this.app.clock instanceof AdjustableClock) this.app.clock.advance(STEP_MS);
    // The failpoint of run k depends on the seed and k only, so a drive replays its crashes exactly
    // (the traffic around them depends on timing).
    const pick = mulberry32((Math.imul(this.seed, 0x9e3779b1) + this.runs) >>> 0);
    const point = CRASH_POINTS[Math.floor(pick() * CRASH_POINTS.length)]!;
    const action = pick() < 0.75 ? 'kill' : 'throw';
    const hit = 1 + Math.floor(pick() * 3);
    const spec = o.clean ? '' : `${point}:${action}:${hit}`;
    this.port = await freePort();
    const child = spawnAssistant({ ...this.env, HTTP_PORT: String(this.port), CLOCK_OFFSET_MS: String(this.runs * STEP_MS), ...(spec ? { OMNIPAY_FAILPOINTS: spec } : {}) });
    this.child = child;
    if (this.runs > 1) this.figures.restarts++;
    const report: RunReport = { run: this.runs, point: o.clean ? 'none' : point, action, hit, fired: false, outsideKill: false, charges: 0, usages: 0 };
    try {
      await this.healthy(child);
      // The chat answers after the restart (its snapshot restored, or the menu): asked now, awaited after the traffic.
      const answered = this.turn(child, '/help', 'I can help you with your OMNIPAY prepaid card');
      answered.catch(() => undefined);
      // Fresh work beside what earlier runs left unanswered (the provider and processor retry).
      for (let i = 0; i < 2; i++) this.charges.push(await this.newCharge());
      for (let i = 0; i < 3; i++) this.usages.push({ id: `u_${this.seed}_${this.runs}_${i}`, cardId: this.member.cardIds[i % 2]!, merchant: `Shop-${this.runs}-${i}`, acked: null });
      await this.traffic(child, report);
      await answered.catch((err: Error) => {
        if (err.message === 'died') this.figures.diedBeforeChat++;
        throw err;
      });
      if (!o.clean) await this.turn(child, '/menu', 'What would you like to do?').catch(() => undefined);
    } catch (err) {
      if (!(await dead(child))) {
        signal(child, 'SIGKILL');
        await child.exited;
        throw err;
      }
    }
    const stderr = child.stderr();
    report.fired = stderr.includes(`failpoint ${point}: SIGKILL`) || (action === 'throw' && stderr.includes(`failpoint ${point} fired`));
    if (!o.clean && !(await dead(child))) {
      signal(child, 'SIGKILL');
      report.outsideKill = true;
      this.figures.outsideKills++;
    }
    if (o.clean) await stopProcess(child);
    await child.exited;
    this.stdoutAll += child.stdout();
    if (report.fired) {
      if (action === 'kill') this.figures.crashesInjected++;
      else this.figures.throwsInjected++;
      this.figures.byPoint[point] = (this.figures.byPoint[point] ?? 0) + 1;
    }
    this.figures.runs++;
    await this.check(report);
    this.log(`crash run ${report.run} (seed ${this.seed}): ${report.point} ${report.action}@${report.hit} ${report.fired ? 'fired' : 'not reached'}${report.outsideKill ? ', killed from outside' : ''}; ${report.charges} charges, ${report.usages} usages answered`);
    return report;
  }

  private async healthy(child: Spawned): Promise<void> {
    const deadline = Date.now() + 120_000;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (await dead(child, 0)) throw new Error(`the assistant exited at start:\n${child.stderr().slice(-2000)}`);
      last = await fetch(`http://127.0.0.1:${this.port}/healthz`).then(async (r) => `${r.status} ${await r.text()}`, (e: Error) => e.message);
      if (last.startsWith('200')) return;
      await sleep(100);
    }
    throw new Error(`the assistant did not become healthy on port ${this.port} (seed ${this.seed}, run ${this.runs}; last /healthz: ${last}):\n${child.stderr().slice(-2000)}`);
  }

  private async turn(child: Spawned, line: string, expect: string): Promise<void> {
    const before = count(child.stdout(), expect);
    let errors = count(child.stdout(), GENERIC_ERROR);
    let asked = false;
    child.write(line);
    // A killed process's turn ticket (15 s) and delivery lease (10 s) lapse well before this bound,
    // which is generous for a loaded machine (turns queued behind each other can take seconds each).
    const deadline = Date.now() + 90_000;
    while (count(child.stdout(), expect) <= before) {
      if (Date.now() > deadline) throw new Error(`the console chat did not answer ${line} with "${expect}" (seed ${this.seed}, run ${this.runs}); stdout:\n${child.stdout().slice(-1500)}\nstderr:\n${child.stderr().slice(-1500)}`);
      if (await dead(child, 0)) throw new Error('died');
      // A turn a `throw` failpoint failed (e.g. its snapshot write) is answered with the generic
      // error, as it should be: the person asks again once, and that must be answered.
      if (!asked && count(child.stdout(), GENERIC_ERROR) > errors && / fired"/.test(child.stderr())) {
        asked = true;
        errors = count(child.stdout(), GENERIC_ERROR);
        this.figures.turnsFailedByThrow++;
        child.write(line);
      }
      await sleep(50);
    }
    this.figures.consoleTurns++;
  }

  private async newCharge(): Promise<Charge> {
    const q = await this.app.services.money.charges.quote({ memberId: this.member.memberId, cardId: this.member.cardIds[0]!, from: 'JPY', to: 'JPY', text: String(1000 + 10 * Math.floor(this.rng() * 900)), lang: 'en' });
    if (!q.ok) throw new Error(`quote refused: ${q.code}`);
    const c = await this.app.services.money.charges.confirm({ quoteId: q.quote.quoteId, memberId: this.member.memberId, chatKey: 'console:local', lang: 'en' });
    return { id: c.chargeId, reference: c.reference, acked: false };
  }

  /** Sends every unanswered confirmation and transaction (and a few answered ones again) at once. */
  private async traffic(child: Spawned, report: RunReport): Promise<void> {
    const jobs: Promise<void>[] = [];
    // Answered ones go again with a fixed expected count (about 8 of each), so a run costs the same at run 500 as at run 5.
    const again = (answered: number) => Math.min(0.2, 8 / Math.max(1, answered));
    const chargesAgain = again(this.charges.filter((c) => c.acked).length);
    const usagesAgain = again(this.usages.filter((u) => u.acked).length);
    for (const c of this.charges) {
      if (c.acked && this.rng() > chargesAgain) continue;
      jobs.push(this.send('/payments/webhook', PAY_SECRET, { reference: c.reference, event: 'payment.succeeded' }).then((r) => {
        if (r?.status === 200 && (r.json as { status?: string }).status === 'completed') {
          c.acked = true;
          report.charges++;
        }
      }));
    }
    for (const u of this.usages) {
      if (u.acked && this.rng() > usagesAgain) continue;
      jobs.push(this.send('/processor/transactions', PROC_SECRET, { id: u.id, cardId: u.cardId, kind: 'purchase', amount: '300', currency: 'JPY', merchant: u.merchant }).then((r) => {
        const status = (r?.json as { status?: string } | undefined)?.status;
        if (r?.status === 200 && (status === 'approved' || status === 'declined')) {
          if (u.acked && u.acked !== status) throw new Error(`usage ${u.id} answered ${u.acked} then ${status}`);
          u.acked = status;
          report.usages++;
        }
      }));
    }
    await Promise.all(jobs);
    // Give the mail sender and the notice deliverer their chance to reach a failpoint.
    const until = Date.now() + 800;
    while (Date.now() < until && !(await dead(child, 0))) await sleep(100);
  }

  private async send(path: string, secret: string, body: unknown): Promise<{ status: number; json: unknown } | null> {
    const raw = JSON.stringify(body);
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(secret, raw, this.now()) } });
      return { status: res.status, json: await res.json().catch(() => null) };
    } catch {
      return null; // the process died under the request: the sender retries next run
    }
  }

  /** The invariants, from the database: a violation is recorded with the seed and run. */
  private async check(report: RunReport): Promise<void> {
    const fail = (what: string) => this.figures.failures.push(`seed ${this.seed} run ${report.run} (${report.point} ${report.action}@${report.hit}): ${what}`);
    this.figures.checks++;
    const v = await verifyLedger(this.db);
    if (!v.ok) fail(`ledger verify: ${JSON.stringify(v.violations.slice(0, 3))}`);
    // Two queries over everything (the soak makes thousands of rows): each charge and usage with its ledger entries.
    const charges = new Map((await this.db.raw.query<{ id: string; reference: string; status: string; n: string }>(
      `SELECT c.id, c.reference, c.status, COUNT(j.id)::text AS n FROM "Charge" c LEFT JOIN "JournalEntry" j ON j.memo = c.reference GROUP BY c.id`,
    )).map((r) => [r.id, r]));
    for (const c of this.charges) {
      const row = charges.get(c.id);
      const entries = Number(row?.n ?? 0);
      if (!row) fail(`charge ${c.reference} is missing`);
      else if (entries > 1) fail(`charge ${c.reference} has ${entries} ledger entries`);
      else if (c.acked && (row.status !== 'completed' || entries !== 1)) fail(`charge ${c.reference} was answered completed but is ${row.status} with ${entries} entries`);
      else if (row.status === 'completed' && entries !== 1) fail(`charge ${c.reference} is completed with ${entries} entries`);
      else if (row.status !== 'completed' && row.status !== 'pending') fail(`charge ${c.reference} is ${row.status}`);
    }
    const usages = new Map((await this.db.raw.query<{ processorId: string; status: string; n: string }>(
      `SELECT u."processorId", u.status, COUNT(j.id)::text AS n FROM "CardUsage" u LEFT JOIN "JournalEntry" j ON j."idempotencyKey" = 'usage:' || u."processorId" GROUP BY u.id`,
    )).map((r) => [r.processorId, r]));
    for (const u of this.usages) {
      const row = usages.get(u.id);
      const entries = Number(row?.n ?? 0);
      if (u.acked && row?.status !== u.acked) fail(`usage ${u.id} was answered ${u.acked} but is ${row?.status ?? 'missing'}`);
      if (row && row.status === 'processing') fail(`usage ${u.id} was left processing`);
      if (entries !== (row?.status === 'approved' ? 1 : 0)) fail(`usage ${u.id} (${row?.status ?? 'missing'}) has ${entries} ledger entries`);
    }
  }

  /**
   * A last clean run (no failpoint) that delivers everything left, then stops; checks that every
   * completed charge's e-mail arrived at least once (more only across a crash) and every approved
   * usage's notice reached the chat.
   */
  async finish(): Promise<DriveFigures> {
    await this.run({ clean: true });
    const f = this.figures;
    // The final run already stopped; any mail still pending would be a loss.
    const pending = await this.db.prisma.outbox.count({ where: { status: { not: 'sent' } } });
    if (pending) f.failures.push(`seed ${this.seed}: ${pending} e-mails not sent after the clean run`);
    const completed = await this.db.prisma.charge.findMany({ where: { id: { in: this.charges.map((c) => c.id) }, status: 'completed' } });
    f.chargesCompleted = completed.length;
    f.chargesCreated = this.charges.length;
    f.usagesSent = this.usages.length;
    for (const c of completed) {
      const got = this.smtp.received.filter((m) => m.text.includes(c.reference)).length;
      if (got === 0) f.failures.push(`seed ${this.seed}: the completion e-mail of ${c.reference} never arrived`);
      f.mailDuplicates += Math.max(0, got - 1);
    }
    f.mails = this.smtp.received.length;
    if (f.mailDuplicates > f.crashesInjected + f.outsideKills) f.failures.push(`seed ${this.seed}: ${f.mailDuplicates} duplicate e-mails for ${f.crashesInjected + f.outsideKills} crashes`);
    const approved = await this.db.prisma.cardUsage.findMany({ where: { processorId: { in: this.usages.map((u) => u.id) }, status: 'approved' } });
    f.usagesPosted = approved.length;
    for (const u of approved) {
      if (!this.stdoutAll.includes(` at ${u.merchant} approved`)) f.failures.push(`seed ${this.seed}: the notice of usage ${u.processorId} never reached the chat`);
      else f.notices++;
    }
    if (this.usages.some((u) => u.acked === null)) f.failures.push(`seed ${this.seed}: ${this.usages.filter((u) => u.acked === null).length} usages never answered`);
    if (this.charges.some((c) => !c.acked)) f.failures.push(`seed ${this.seed}: ${this.charges.filter((c) => !c.acked).length} charges never answered`);
    return f;
  }

  /**
   * Replays across two processes: two assistants (no failpoint) on the same database and Redis get
   * the same payment confirmation and the same processor transaction `n` times each, all at once,
   * spread over both. Returns what the ledger and the answers show.
   */
  async replayAcrossTwo(n: number): Promise<{ chargeEntries: number; usageEntries: number; usageRows: number; chargeAnswers: string[]; usageAnswers: string[]; mails: number }> {
    const ports = [await freePort(), await freePort()];
    const children = ports.map((port) => spawnAssistant({ ...this.env, HTTP_PORT: String(port), CLOCK_OFFSET_MS: String(this.runs * STEP_MS) }));
    try {
      for (const [i, child] of children.entries()) {
        this.port = ports[i]!;
        await this.healthy(child);
      }
      const charge = await this.newCharge();
      const usageId = `replay_${this.seed}_${randomBytes(3).toString('hex')}`;
      const pay = { reference: charge.reference, event: 'payment.succeeded' };
      const use = { id: usageId, cardId: this.member.cardIds[1]!, kind: 'purchase', amount: '700', currency: 'JPY', merchant: 'Replay-Shop' };
      const mailsBefore = this.smtp.received.filter((m) => m.text.includes(charge.reference)).length;
      const at = (port: number, path: string, secret: string, body: unknown) => {
        const raw = JSON.stringify(body);
        return fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(secret, raw, this.now()) } })
          .then(async (r) => `${r.status} ${((await r.json()) as { status?: string }).status}`);
      };
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => [at(ports[i % 2]!, '/payments/webhook', PAY_SECRET, pay), at(ports[(i + 1) % 2]!, '/processor/transactions', PROC_SECRET, use)]).flat());
      const chargeEntries = await this.db.prisma.journalEntry.count({ where: { memo: charge.reference } });
      const usageEntries = await this.db.prisma.journalEntry.count({ where: { idempotencyKey: `usage:${usageId}` } });
      const usageRows = await this.db.prisma.cardUsage.count({ where: { processorId: usageId } });
      // The completion e-mail: one outbox row, sent by whichever process claims it.
      const deadline = Date.now() + 30_000;
      while (this.smtp.received.filter((m) => m.text.includes(charge.reference)).length === mailsBefore && Date.now() < deadline) await sleep(100);
      await sleep(1000);
      const mails = this.smtp.received.filter((m) => m.text.includes(charge.reference)).length - mailsBefore;
      this.charges.push({ ...charge, acked: true });
      this.usages.push({ id: usageId, cardId: use.cardId, merchant: use.merchant, acked: 'approved' });
      return { chargeEntries, usageEntries, usageRows, chargeAnswers: [...new Set(answers.filter((_, i) => i % 2 === 0))], usageAnswers: [...new Set(answers.filter((_, i) => i % 2 === 1))], mails };
    } finally {
      for (const c of children) await stopProcess(c);
      this.stdoutAll += children.map((c) => c.stdout()).join('');
    }
  }

  /**
   * Canary secrets through a process at trace level: a password typed into log-in, a PIN, an
   * e-mailed code, a deep-link token and a card number (plain and with spaces) typed into the chat.
   * Returns where any of them was found: log lines, database columns (every table), Redis keys and
   * values, files under DATA_DIR, /metrics, the chat's own output.
   */
  async canaryScan(): Promise<{ canaries: string[]; found: string[] }> {
    const tag = randomBytes(4).toString('hex');
    // The drive's charge amounts are multiples of 10 (1,000-9,990 JPY), so they never read as this PIN.
    const c = { password: `Canary-Pass-${tag}-42!`, pin: '7319', code: '58213947', token: `act_Canary${tag}Tok${'x'.repeat(18)}`, card: '4111111111111111', spaced: '4111 1111 1111 1111' };
    const metricsPort = await freePort();
    this.port = await freePort();
    const child = spawnAssistant({ ...this.env, HTTP_PORT: String(this.port), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'trace', CLOCK_OFFSET_MS: String(this.runs * STEP_MS) });
    const found: string[] = [];
    try {
      await this.healthy(child);
      const lines = ['/cancel', '/menu', '2', this.member.username, c.password, c.card, c.spaced, c.pin, c.code, `/start ${c.token}`, c.code, '/menu', c.spaced, '/cancel'];
      for (const line of lines) {
        child.write(line);
        await sleep(300);
      }
      await this.turn(child, '/help', 'I can help you with your OMNIPAY prepaid card');
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
      const where = (place: string, text: string) => {
        for (const [name, v] of Object.entries(c)) {
          // The short all-digit canaries count only as a whole token: "7319" inside a UUID
          // (hex groups such as -7319-) or a longer number is not the PIN.
          const at = name === 'pin' || name === 'code' ? text.search(standalone(v)) : text.indexOf(v);
          // With what surrounds it, so a finding says which field held it.
          if (at >= 0) found.push(`${name} in ${place}: …${text.slice(Math.max(0, at - 60), at + v.length + 20)}…`);
        }
      };
      where('metrics', metrics);
      await stopProcess(child);
      where('logs (trace)', child.stderr());
      // The chat prints what the bot says; a secret typed by the person is never echoed back.
      where('chat output', child.stdout());
      const tables = await this.db.raw.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      for (const t of tables) {
        const rows = await this.db.raw.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t.table_name}" x`);
        where(`table ${t.table_name}`, rows.map((r) => r.j).join('\n'));
      }
      const { createClient } = await import('redis');
      const redis = createClient({ url: this.env.REDIS_URL! });
      await redis.connect();
      for await (const keys of redis.scanIterator({ COUNT: 500 })) {
        for (const key of [keys].flat()) {
          where('a Redis key', key);
          const type = await redis.type(key);
          const value = type === 'string' ? await redis.get(key) : type === 'list' ? (await redis.lRange(key, 0, -1)).join('\n') : type === 'hash' ? JSON.stringify(await redis.hGetAll(key)) : type === 'zset' ? (await redis.zRange(key, 0, -1)).join('\n') : type === 'set' ? (await redis.sMembers(key)).join('\n') : '';
          where(`Redis ${type} ${key}`, value ?? '');
        }
      }
      await redis.quit();
      const { readdirSync, readFileSync, statSync } = await import('node:fs');
      const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
      for (const file of walk(this.env.DATA_DIR!)) if (statSync(file).isFile() && !file.endsWith('.sock')) where(`file ${file}`, readFileSync(file).toString('latin1'));
    } finally {
      await stopProcess(child);
      this.stdoutAll += child.stdout();
    }
    return { canaries: Object.keys(c), found };
  }

  /** `omnipay ledger verify` on the drive's database, as an operator runs it. */
  async cliVerify(): Promise<{ code: number | string; out: string }> {
    const p = spawnCompiled('bin/omnipay.mjs', ['ledger', 'verify', '--json'], { NODE_ENV: 'test', DATABASE_URL: this.env.DATABASE_URL!, APP_SECRET });
    const code = await p.exited;
    return { code, out: p.stdout() };
  }

  /** Stops everything and drops the database. */
  async close(): Promise<void> {
    await stopProcess(this.child);
    await this.app.close().catch(() => undefined);
    await this.db.close().catch(() => undefined);
    await this.smtp.stop();
    await this.releaseRedis().catch(() => undefined);
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

/** The compiled assistant; writing to the stdin of one that was just killed is not an error. */
function spawnAssistant(env: Record<string, string>): Spawned {
  const p = spawnCompiled(ASSISTANT, [], env);
  p.child.stdin!.on('error', () => undefined);
  return p;
}


function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when the child has exited (waiting up to `ms` for it). */
async function dead(child: Spawned, ms = 200): Promise<boolean> {
  if (child.child.exitCode !== null || child.child.signalCode !== null) return true;
  if (ms === 0) return false;
  return Promise.race([child.exited.then(() => true), sleep(ms).then(() => false)]);
}
