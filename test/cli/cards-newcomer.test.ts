/**
 * The issue's "done when", end to end on the embedded defaults: the assistant runs (`npm start`'s
 * entry, console chat); the operator issues a card with the CLI, which reaches the embedded
 * database through the running assistant; a newcomer signs up, activates, logs in, enrolls the card
 * in the console chat with the printed mailer, and changes its PIN.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSISTANT, CLI, spawnCompiled, stopProcess, waitForFile, type Spawned } from '../app/process.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Sends a line; resolves with what the assistant printed after it once `until` shows up. */
async function say(p: Spawned, line: string, until: string): Promise<string> {
  const from = p.stdout().length;
  p.write(line);
  await p.waitFor(new RegExp(`[\\s\\S]{${from}}[\\s\\S]*${esc(until)}`), 60_000);
  return p.stdout().slice(from);
}

/** Presses the button labelled `label` among the latest numbered buttons. */
async function press(p: Spawned, label: string, until: string): Promise<string> {
  const all = [...p.stdout().matchAll(new RegExp(`\\[(\\d+)\\] ${esc(label)}\\s*$`, 'gm'))];
  if (!all.length) throw new Error(`no button ${label} in:\n${p.stdout().slice(-2000)}`);
  return say(p, all.at(-1)![1]!, until);
}

/** Runs `omnipay <args>` as its own process (forwarded to the running assistant). */
async function cli(dataDir: string, args: string[]): Promise<{ code: number | string; out: string; err: string }> {
  const c = spawnCompiled(CLI, args, { DATA_DIR: dataDir });
  const code = await c.exited;
  return { code, out: c.stdout(), err: c.stderr() };
}

async function mailWith(dir: string, text: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const box = join(dir, 'outbox');
    if (existsSync(box)) {
      for (const f of readdirSync(box).filter((n) => n.endsWith('.eml'))) {
        const body = readFileSync(join(box, f), 'utf8');
        if (body.includes(text)) return body;
      }
    }
    if (Date.now() > deadline) throw new Error(`no e-mail containing ${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a newcomer enrolls a CLI-issued card in the console chat and changes its PIN', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'omnipay-newcomer-'));
  let p: Spawned | undefined;
  afterAll(async () => {
    if (p) await stopProcess(p);
  });

  it('works end to end on the embedded defaults', async () => {
    p = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir, CAPTCHA_TEST_ANSWER: 'TEST42' });
    await p.waitFor('What would you like to do?', 120_000);
    // The greeting shows before the database is open; the CLI needs the control socket.
    await waitForFile(join(dataDir, 'omnipay.sock'), 120_000);

    const issued = await cli(dataDir, ['cards', 'issue', '--email', 'jane@example.com', '--json']);
    expect(issued.err).toBe('');
    expect(issued.code).toBe(0);
    const printed = JSON.parse(issued.out.trim().split('\n').at(-1)!) as { card: { id: string }; pinMailer: { last4: string; initialPin: string } };
    const { last4, initialPin } = printed.pinMailer;

    await say(p, '/menu', 'What would you like to do?');
    await press(p, 'Sign up', 'Choose a username');
    await say(p, 'jane_doe', 'e-mail address');
    await say(p, 'jane@example.com', 'full name');
    await say(p, 'Jane Doe', 'Choose a password');
    await say(p, 'Correct-Horse-Battery-42', 'again');
    await say(p, 'Correct-Horse-Battery-42', 'Submit');
    await press(p, 'Submit', 'Reload');
    await say(p, 'TEST42', 'verification e-mail has been sent');
    const code = /\b(\d{8})\b/.exec(await mailWith(dataDir, 'jane_doe'))![1]!;
    await say(p, code, 'Reload');
    await say(p, 'TEST42', 'ACTIVATE');
    await press(p, 'ACTIVATE', 'Activate success');
    await press(p, 'OK', 'not your e-mail address');
    await say(p, 'jane_doe', 'password');
    await say(p, 'Correct-Horse-Battery-42', 'Reload');
    await say(p, 'TEST42', 'CONTINUE');
    await press(p, 'CONTINUE', 'Welcome, jane_doe');

    await say(p, '/menu', 'Card Registration');
    await press(p, 'Card Registration', 'last 4 digits of your card number');
    await say(p, last4, 'initial PIN printed on the paper');
    await say(p, initialPin, 'Reload');
    await say(p, 'TEST42', 'ENROLL');
    expect(await press(p, 'ENROLL', 'A card has been enrolled')).toContain(`card ending ${last4}`);
    await press(p, 'OK', 'Dashboard');

    const fresh = initialPin === '5821' ? '6930' : '5821';
    await say(p, '/pin', 'Enter its current PIN');
    await say(p, initialPin, 'Enter the new PIN');
    await say(p, fresh, 'once more');
    expect(await say(p, fresh, 'has been changed')).toContain(`card ending ${last4}`);
    await mailWith(dataDir, 'has been enrolled');

    const list = await cli(dataDir, ['cards', 'list', '--email', 'jane@example.com', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out.trim().split('\n').at(-1)!)).toMatchObject({ cards: [{ id: printed.card.id, status: 'enrolled', last4 }] });

    p.child.stdin!.end();
    expect(await p.exited).toBe(0);
  }, 600_000);
});
