/**
 * `npm run bench:profile [-- --seconds N --chats C]`: one assistant on PostgreSQL + Redis under the
 * dashboard mix with the limiter raised, profiled with V8's `--cpu-prof`, then summarised: where its
 * CPU went by part (our code by folder, each dependency by package, Node's internals, idle/GC) and
 * the hottest functions by self time. The raw profile is kept for Chrome DevTools.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../src/testkit/telegram/fake-bot-api.js';
import { DASHBOARD_MIX, drive, startAssistants } from './turns.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};

/** The part of the program a frame belongs to: a package, a folder of ours, or Node itself. */
export function partOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(dist\/)?(src\/[^/]+|flows\/[^/]+)\//.exec(url);
  return ours ? ours[2]! : '(other)';
}

/** Self time per part and per function, in milliseconds, from a V8 CPU profile. */
export function summarise(p: CpuProfile): { totalMs: number; parts: [string, number][]; functions: [string, number][] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parts = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [i, id] of p.samples.entries()) {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    const n = byId.get(id);
    if (!n) continue;
    total += ms;
    const { functionName, url, lineNumber } = n.callFrame;
    const part = partOf(url, functionName);
    parts.set(part, (parts.get(part) ?? 0) + ms);
    const where = url ? `${url.replace(/^.*\/(node_modules|dist|src|flows)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, k: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  return { totalMs: total, parts: top(parts, 20), functions: top(fns, 20) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'omnipay-prof-'));
  process.env.BENCH_CPU_PROF = dir;
  const fake = await FakeTelegram.start();
  fake.deliverManually();
  const bots = await startAssistants(fake, 1, { TELEGRAM_MAX_MESSAGES_PER_SECOND: '100000', TELEGRAM_CHAT_MESSAGES_PER_SECOND: '100000' });
  const r = await drive('profile', fake, bots, { chats: arg('chats', 32), seconds: arg('seconds', 10), mix: DASHBOARD_MIX, first: (f, c) => f.userSays(c, '/start') });
  await bots.stop();
  await fake.close();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const s = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
  const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1)} %`;
  console.log(`${r.turns} turns in ${r.turnsPerSec} turns/s, ${r.cpuMsPerTurn} ms CPU a turn; profile ${join(dir, file)}`);
  console.log('\nself time by part');
  console.table(s.parts.map(([part, ms]) => ({ part, ms: Math.round(ms), share: pct(ms), perTurnMs: (ms / r.turns).toFixed(3) })));
  console.log('hottest functions (self time)');
  console.table(s.functions.map(([fn, ms]) => ({ function: fn.slice(0, 90), ms: Math.round(ms), share: pct(ms) })));
  writeFileSync(new URL('./profile.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), turns: r.turns, turnsPerSec: r.turnsPerSec, cpuMsPerTurn: r.cpuMsPerTurn, ...s }, null, 2) + '\n');
  console.log('written: bench/profile.json');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`profile failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
