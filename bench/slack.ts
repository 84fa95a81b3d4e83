import { deskPorts } from '../src/app/desk-ports.js';
import type { Services } from '../src/app/services.js';
import { createSlackApp } from '../src/channels/slack/app.js';
import { registerDesk } from '../src/channels/slack/desk/index.js';
import type { Config } from '../src/config/config.js';
import { HttpServer } from '../src/infra/http/server.js';
import { newId } from '../src/lib/ids.js';
import { createLogger } from '../src/lib/logger.js';
import { FakeSlack } from '../src/testkit/slack/fake-slack-api.js';
import { SignedSlack } from '../src/testkit/slack/signed.js';

/** Result of the Slack desk benchmark (milliseconds). */
export interface SlackBench {
  concurrency: number;
  rounds: number;
  samples: number;
  /** `/omnipay lookup`: from sending the signed request to the HTTP answer (Bolt's ack). */
  ackP50: number;
  ackP99: number;
  ackMax: number;
  /** The same commands, until the look-up's answer reached the response URL. */
  answerP50: number;
  answerP99: number;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
}

/**
 * Ack latency of the desk under load: the real Bolt app behind our receiver on an HttpServer, its
 * Web API at the fake Slack, the real services on PostgreSQL. Each round sends `concurrency`
 * correctly signed `/omnipay lookup <username>` commands at once (each looks up one of 50 members
 * with a card and movements) and times the HTTP answer and the response URL's answer.
 */
export async function benchSlack(services: Services, config: Config, concurrency: number, rounds: number): Promise<SlackBench> {
  const db = services.deps.db;
  const members: string[] = [];
  for (let i = 0; i < 50; i++) {
    const id = newId();
    const username = `bench_desk_${i}`;
    await db.prisma.member.create({ data: { id, username, usernameKey: username, email: `${username}@bench.test`, emailKey: `${username}@bench.test`, fullName: `Bench ${i}`, passwordHash: 'x', status: 'active', activatedAt: new Date() } });
    const cardId = newId();
    await db.prisma.card.create({ data: { id: cardId, memberId: id, issuedEmailKey: `${username}@bench.test`, last4: String(1000 + i), fingerprint: `desk-${i}`, expiryMonth: 1, expiryYear: 2031, currency: 'JPY', pinHash: 'x', status: 'enrolled' } });
    members.push(username);
  }
  const fake = await FakeSlack.start();
  const log = createLogger('silent');
  const http = new HttpServer(log);
  const secret = 'bench-signing-secret-0123456789abcdef';
  const bolt = createSlackApp({ token: fake.botToken, signingSecret: secret, apiUrl: fake.apiUrl, http, log });
  const ports = deskPorts({ config, log, services });
  registerDesk(bolt, { ...ports, settings: { ...ports.settings, supportUsers: ['U0BENCH1', 'U0BENCH2'] } });
  await bolt.start();
  const port = await http.listen(0, '127.0.0.1');
  const slack = new SignedSlack({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: secret });
  await fake.waitForCall('auth.test');
  const acks: number[] = [];
  const answers: number[] = [];
  try {
    // One warm-up round: first queries, JIT, connection pool.
    for (let round = -1; round < rounds; round++) {
      await Promise.all(
        Array.from({ length: concurrency }, async (_, i) => {
          const responseUrl = fake.responseUrl();
          const t0 = performance.now();
          const res = await slack.command({ text: `lookup ${members[i % members.length]}`, userId: 'U0BENCH1', userName: 'bench', responseUrl });
          const acked = performance.now() - t0;
          if (res.status !== 200) throw new Error(`ack answered ${res.status}`);
          await fake.waitForResponse((r) => r.url === responseUrl, 30_000);
          if (round >= 0) {
            acks.push(acked);
            answers.push(performance.now() - t0);
          }
        }),
      );
    }
  } finally {
    await bolt.stop();
    await http.close();
    await fake.close();
  }
  return { concurrency, rounds, samples: acks.length, ackP50: pct(acks, 50), ackP99: pct(acks, 99), ackMax: pct(acks, 100), answerP50: pct(answers, 50), answerP99: pct(answers, 99) };
}
