/**
 * Turns benchmark: many chats over the Telegram webhook, against the fake Bot API, on PostgreSQL +
 * Redis, compared with a bare grammY echo bot on the same fake in the same run.
 *  - closed loop: C chats each tapping through the dashboard as fast as the bot answers;
 *  - open loop: arrivals at a fixed rate across many chats (real tapping rates), p99 for a person
 *    who is not flooding, and the most messages that left the bot in any second.
 * A turn is timed from posting its update to the last of its replies reaching the fake.
 */
import { createClient } from 'redis';
import pg from 'pg';
import { FakeTelegram, type FakeUpdate } from '../src/testkit/telegram/fake-bot-api.js';
import { LIMITED_METHODS } from '../src/channels/telegram/limiter.js';
import { cpuSeconds, freePort, quantile, rssMb, spawnEntry, waitHealthy, type Child } from './procs.js';

const SECRET = 'bench-webhook-secret';
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/5';

/** What one run measured. */
export interface TurnFigures {
  label: string;
  processes: number;
  chats: number;
  turns: number;
  turnsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU milliseconds the bot processes spent per turn. */
  cpuMsPerTurn: number;
  messagesPerTurn: number;
  /** Most send/edit calls in any one second. */
  busiestSecond: number;
  rssIdleMb: number;
  rssLoadMb: number;
}

/** A step of a chat's tapping: how to make its update. */
type Step = (fake: FakeTelegram, chat: number) => FakeUpdate;
const say = (text: string): Step => (fake, chat) => fake.userSays(chat, text);
const tap = (label: string): Step => (fake, chat) => fake.press(chat, label);

/** Dashboard tapping: the menu, Help, the menu, Language, English (which shows the menu again). */
export const DASHBOARD_MIX: Step[] = [say('/menu'), tap('Help'), say('/menu'), tap('Language'), tap('English')];
const ECHO_MIX: Step[] = [say('hello')];

/** Bots under test, started against the fake: their webhook URLs and processes. */
interface Bots {
  urls: string[];
  children: Child[];
  stop(): Promise<void>;
}

async function freshDatabase(): Promise<string> {
  const name = 'omnipay_bench';
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts n assistant processes on one database and Redis, webhook mode against the fake. */
export async function startAssistants(fake: FakeTelegram, n: number, env: Record<string, string>): Promise<Bots> {
  const db = await freshDatabase();
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  await redis.flushDb();
  await redis.quit();
  const children: Child[] = [];
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    const child = spawnEntry('src/main.ts', {
      ...fake.env(), DATABASE_URL: db, REDIS_URL, APP_SECRET: 'bench-app-secret-0123456789abcdef0123456789', NODE_ENV: 'test', LOG_LEVEL: 'warn',
      TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: SECRET, HTTP_PORT: String(port), METRICS_PORT: '0', ...env,
    });
    children.push(child);
    urls.push(url);
    // One at a time: the first applies the migrations.
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, child);
  }
  return { urls, children, stop: async () => void (await Promise.all(children.map((c) => c.stop()))) };
}

/** Starts the bare grammY echo bot (the baseline). */
export async function startEcho(fake: FakeTelegram): Promise<Bots> {
  const port = await freePort();
  const child = spawnEntry('bench/echo-bot.ts', { BOT_TOKEN: fake.token, API_ROOT: fake.apiRoot, PORT: String(port), SECRET });
  const deadline = Date.now() + 60_000;
  while (!child.output().includes('echo bot listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return { urls: [`http://127.0.0.1:${port}/telegram/webhook`], children: [child], stop: () => child.stop() };
}

/** How many sends/edits each step of a mix makes (measured on one chat, one step at a time). */
async function calibrate(fake: FakeTelegram, bots: Bots, mix: Step[], first: Step | undefined, chat: number): Promise<number[]> {
  const counts: number[] = [];
  const quiet = async () => {
    let last = -1;
    while (fake.botActivity(chat) !== last) {
      last = fake.botActivity(chat);
      await new Promise((r) => setTimeout(r, 400));
    }
  };
  if (first) {
    await fake.postUpdate(bots.urls[0]!, first(fake, chat), SECRET);
    await quiet();
  }
  for (const step of mix) {
    const before = fake.botActivity(chat);
    await fake.postUpdate(bots.urls[0]!, step(fake, chat), SECRET);
    await quiet();
    counts.push(fake.botActivity(chat) - before);
  }
  return counts;
}

/** Most limited calls within any second since call index `from`. */
function busiest(fake: FakeTelegram, from: number): number {
  const at = fake.calls().slice(from).filter((c) => LIMITED_METHODS.has(c.method)).map((c) => c.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/**
 * Drives chats through a mix: closed loop (`rate` unset: every chat goes again as soon as answered)
 * or open loop (`rate` turns a second in all, arriving at random, each at a chat that is idle).
 */
export async function drive(label: string, fake: FakeTelegram, bots: Bots, o: { chats: number; seconds: number; mix: Step[]; first?: Step; rate?: number }): Promise<TurnFigures> {
  const base = 7_000_000 + Math.floor(Math.random() * 1_000_000);
  const counts = await calibrate(fake, bots, o.mix, o.first, base);
  const chats = Array.from({ length: o.chats }, (_, i) => base + 1 + i);
  for (const c of chats) if (o.first) await fake.postUpdate(bots.urls[c % bots.urls.length]!, o.first(fake, c), SECRET);
  for (const c of chats) if (o.first) await fake.waitForActivity(c, 1);
  await new Promise((r) => setTimeout(r, 500));
  const pids = bots.children.map((c) => c.proc.pid!);
  const rssIdle = pids.reduce((a, p) => a + rssMb(p), 0);
  const latencies: number[] = [];
  let turns = 0;
  let messages = 0;
  let rssLoad = 0;
  const step = new Map(chats.map((c) => [c, 0]));
  const busy = new Set<number>();
  const fromCall = fake.calls().length;
  const cpu0 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
  const started = Date.now();
  const end = started + o.seconds * 1000;
  const one = async (chat: number): Promise<void> => {
    busy.add(chat);
    const i = step.get(chat)!;
    step.set(chat, i + 1);
    const want = fake.botActivity(chat) + counts[i % counts.length]!;
    const t0 = performance.now();
    await fake.postUpdate(bots.urls[chat % bots.urls.length]!, o.mix[i % o.mix.length]!(fake, chat), SECRET);
    await fake.waitForActivity(chat, want, 60_000);
    latencies.push(performance.now() - t0);
    turns++;
    messages += counts[i % counts.length]!;
    busy.delete(chat);
  };
  const sampler = setInterval(() => (rssLoad = Math.max(rssLoad, pids.reduce((a, p) => a + rssMb(p), 0))), 500);
  if (o.rate === undefined) {
    await Promise.all(chats.map(async (c) => {
      while (Date.now() < end) await one(c);
    }));
  } else {
    const inFlight: Promise<void>[] = [];
    let next = Date.now();
    while (Date.now() < end) {
      next += -Math.log(1 - Math.random()) * (1000 / o.rate);
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      const idle = chats.filter((c) => !busy.has(c));
      if (idle.length) inFlight.push(one(idle[Math.floor(Math.random() * idle.length)]!));
    }
    await Promise.all(inFlight);
  }
  clearInterval(sampler);
  const elapsed = (Date.now() - started) / 1000;
  const cpu = pids.reduce((a, p) => a + cpuSeconds(p), 0) - cpu0;
  return {
    label, processes: bots.children.length, chats: o.chats, turns,
    turnsPerSec: Math.round(turns / elapsed), p50Ms: round(quantile(latencies, 0.5)), p99Ms: round(quantile(latencies, 0.99)),
    cpuMsPerTurn: round((cpu * 1000) / Math.max(1, turns)), messagesPerTurn: round(messages / Math.max(1, turns)),
    busiestSecond: busiest(fake, fromCall), rssIdleMb: rssIdle, rssLoadMb: rssLoad,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Every turns figure of `npm run bench`: echo baseline, the assistant raised and default, 1–3 processes. */
export async function benchTurns(o: { chats: number; seconds: number; openChats: number; openRate: number }): Promise<{ turns: TurnFigures[]; storage: StorageFigures | undefined }> {
  const out: TurnFigures[] = [];
  let storage: StorageFigures | undefined;
  const fake = await FakeTelegram.start();
  fake.deliverManually();
  try {
    const echo = await startEcho(fake);
    try {
      out.push(await drive('echo bot (baseline)', fake, echo, { chats: o.chats, seconds: o.seconds, mix: ECHO_MIX }));
    } finally {
      await echo.stop();
    }
    const raised = { TELEGRAM_MAX_MESSAGES_PER_SECOND: '100000', TELEGRAM_CHAT_MESSAGES_PER_SECOND: '100000' };
    for (const n of [1, 2, 3]) {
      const bots = await startAssistants(fake, n, raised);
      try {
        out.push(await drive(`assistant, limiter raised, ${n} process${n > 1 ? 'es' : ''}`, fake, bots, { chats: o.chats, seconds: o.seconds, mix: DASHBOARD_MIX, first: say('/start') }));
        if (n === 1) storage = await measureStorage();
      } finally {
        await bots.stop();
      }
    }
    const bots = await startAssistants(fake, 1, {});
    try {
      out.push(await drive(`assistant, default limiter, open load ${o.openRate}/s`, fake, bots, { chats: o.openChats, seconds: o.seconds, mix: DASHBOARD_MIX, rate: o.openRate }));
    } finally {
      await bots.stop();
    }
  } finally {
    await fake.close();
  }
  return { turns: out, storage };
}

/** What the store holds per active chat after a run: snapshot size, and Redis memory by kind of key. */
export interface StorageFigures {
  chats: number;
  snapshotBytesAvg: number;
  snapshotBytesMax: number;
  redisBytesPerChat: number;
  redisBytesByKind: Record<string, number>;
}

/** Reads every key of the bench's Redis database (the assistants' prefix `omnipay:`). */
export async function measureStorage(): Promise<StorageFigures> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  const byKind: Record<string, number> = {};
  const snapshots: number[] = [];
  const chats = new Set<string>();
  for await (const keys of redis.scanIterator({ MATCH: 'omnipay:*', COUNT: 500 })) {
    for (const key of keys as unknown as string[]) {
      const kind = key.split(':')[1] ?? '?';
      const bytes = Number(await redis.memoryUsage(key)) || 0;
      byKind[kind] = (byKind[kind] ?? 0) + bytes;
      if (kind === 'snap') {
        chats.add(key);
        const d = await redis.hGet(key, 'd');
        if (d) snapshots.push(Buffer.byteLength(d));
      }
    }
  }
  await redis.quit();
  // Keys that exist once for the bot (version registry, the bot's own rate bucket, due set) are not a chat's.
  const shared = (byKind.kv ?? 0) + (byKind.odue ?? 0);
  const perChat = (Object.values(byKind).reduce((a, b) => a + b, 0) - shared) / Math.max(1, chats.size);
  return {
    chats: chats.size,
    snapshotBytesAvg: Math.round(snapshots.reduce((a, b) => a + b, 0) / Math.max(1, snapshots.length)),
    snapshotBytesMax: Math.max(0, ...snapshots),
    redisBytesPerChat: Math.round(perChat),
    redisBytesByKind: byKind,
  };
}
