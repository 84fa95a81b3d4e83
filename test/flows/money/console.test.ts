import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { startAssistant, type Running } from '../../../src/app/start.js';
import { runCli } from '../../../src/cli/program.js';
import '../../../src/cli/commands.js';
import { setRate } from '../../../src/services/fx/rates.js';
import { memberWithCards, sessionFor } from '../../support/cards.js';
import { LogCapture } from '../../support/app.js';
import { TEST_PG_URL, testDatabase, testStore, uniqueName } from '../../support/db.js';

describe('the newcomer journey in the running assistant (console chat, real runners)', () => {
  let running: Running | undefined;
  afterAll(async () => {
    await running?.stop();
  });

  it('charges JPY → USD, completes by itself, records a purchase by CLI, shows both in balance and history, ledger verifies', async () => {
    const db = await testDatabase('postgres');
    const store = await testStore('memory', db);
    const config = loadConfig({
      NODE_ENV: 'test', DATABASE_URL: TEST_PG_URL, DATA_DIR: `/tmp/omnipay-test/${uniqueName('data')}`, APP_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      LOG_LEVEL: 'info', SANDBOX_PAYMENT_DELAY_SECONDS: '1',
    });
    let shown = '';
    const output = new PassThrough();
    output.on('data', (c: Buffer) => (shown += c.toString('utf8')));
    const input = new PassThrough();
    running = await startAssistant(config, { db, store, console: true, input, output, quietMetrics: true, logDestination: new LogCapture() });
    running.app.onClose(() => db.close());
    const app = running.app;
    await setRate(db, { base: 'JPY', quote: 'USD', rate: '0.0066', spreadBps: 100, feeBps: 100, setBy: 'test', at: app.clock.now() });
    // Linked to the console chat as a log-in would (MemberChat), so usage notices find it.
    const m = await memberWithCards(db, { chatKey: 'console:local' });
    await app.engine.setSession('console', 'local', sessionFor(m, app.clock.now().getTime()));

    const waitFor = async (re: RegExp, ms = 8000): Promise<RegExpExecArray> => {
      const t0 = Date.now();
      for (;;) {
        const hit = re.exec(shown);
        if (hit) return hit;
        if (Date.now() - t0 > ms) throw new Error(`not shown: ${re}\n--- console ---\n${shown.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const send = async (line: string, expect: RegExp) => {
      const mark = shown.length;
      input.write(line + '\n');
      const t0 = Date.now();
      for (;;) {
        const hit = expect.exec(shown.slice(mark));
        if (hit) return hit;
        if (Date.now() - t0 > 8000) throw new Error(`after "${line}" not shown: ${expect}\n--- console ---\n${shown.slice(mark)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const buttonNo = (label: string, text: string) => new RegExp(`\\[(\\d+)\\] ${label}\\b`).exec(text)![1]!;

    await waitFor(/What would you like to do\?/);
    let out = await send('/charge', /\[Withdrawal currency\][\s\S]*\[\d+\] KWD/);
    out = await send(buttonNo('JPY', out[0]), /\[Charge currency\][\s\S]*\[\d+\] KWD/);
    await send(buttonNo('USD', out[0]), /Enter the amount/);
    out = await send('100', /Charged to the card: 100\.00 USD[\s\S]*\[\d+\] Cancel/);
    const reference = (await send(buttonNo('Confirm', out[0]), /Charge received\. Reference: (CH-\w+)/))[1]!;
    await waitFor(new RegExp(`Charge completed: 100\\.00 USD was charged to card •••• ${m.last4s[0]} \\(reference ${reference}\\)`));
    await waitFor(/Subject: \[Card Charge Completion Notification\]/);

    const cli = async (argv: string[]) => {
      const lines: string[] = [];
      const code = await runCli(argv, { io: { out: (s) => lines.push(s), err: (s) => lines.push(s) }, app: async () => app });
      return { code, text: lines.join('\n') };
    };
    const usage = await cli(['usage', 'purchase', '--card', m.cardIds[0]!, '--amount', '12.34', '--currency', 'USD', '--merchant', 'Book Shop']);
    expect(usage.text).toContain('approved: purchase 12.34 USD');
    await waitFor(/purchase of 12\.34 USD at Book Shop approved\. Balance: 87\.66 USD/);
    await send('/balance', /• 87\.66 USD/);
    out = await send('/history', /\[\d+\] This month/);
    await send(buttonNo('This month', out[0]), /Purchase Book Shop[^\n]*-12\.34 USD[\s\S]*Charge CH-\w+[^\n]*\+100\.00 USD[\s\S]*USD: in 100\.00 USD, out 12\.34 USD/);
    expect(await cli(['ledger', 'verify'])).toMatchObject({ code: 0 });
    input.end();
  });
});
