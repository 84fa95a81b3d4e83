import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSISTANT, spawnCompiled, stopProcess, type Spawned } from '../../app/process.js';
import { Writable, PassThrough } from 'node:stream';
import { ConsoleChannel, sameScreen } from '../../../src/channels/console/console.js';
import { previewGreeting } from '../../../src/app/preview.js';
import { testApp } from '../../support/app.js';

/** Sends a line and returns what the assistant printed in answer (waiting for `until`). */
async function say(p: Spawned, line: string, until: string | RegExp): Promise<string> {
  const from = p.stdout().length;
  p.write(line);
  await p.waitFor(typeof until === 'string' ? new RegExp(`[\\s\\S]{${from}}[\\s\\S]*${until.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : until);
  return p.stdout().slice(from);
}

describe('early greeting', () => {
  it('shows the same screen as the real first turn of a new console chat', async () => {
    const app = await testApp({ db: 'pglite', store: 'memory' });
    try {
      const real = await app.engine.handle({ channel: 'console', chatId: 'fresh', messageId: '1', kind: 'command', command: 'start', arg: '' });
      const early = await previewGreeting(app.config, 'fresh');
      expect(early).not.toBeNull();
      expect(sameScreen(early!, real.outbound)).toBe(true);
      expect(sameScreen(early!, real.outbound.slice(1))).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('numbers typed in the console', () => {
  it('reads a number as text when the last turn showed no buttons, and as a press while buttons are on screen', async () => {
    const app = await testApp({ db: 'pglite', store: 'memory' });
    try {
      let printed = '';
      const output = new Writable({ write: (c: Buffer, _e, cb) => ((printed += c.toString('utf8')), cb()) });
      const chat = new ConsoleChannel({ engine: app.engine, input: new PassThrough(), output, dataDir: mkdtempSync(join(tmpdir(), 'omnipay-console-n-')), chatId: 'numbers' });
      app.engine.delivery.setSender('console', async (_chatId, outbound) => chat.show(outbound));
      await chat.handleLine('/start');
      expect(printed).toMatch(/\[2\] /);
      // "Language set" has no buttons: the dashboard's numbers are gone with it.
      await chat.handleLine('/language en');
      printed = '';
      await chat.handleLine('2');
      expect(printed).not.toContain('This button has expired');
      expect(printed).toContain('Sorry, I did not understand that');
      // The dashboard is back with its buttons: now a number presses one (2 is Log in).
      printed = '';
      await chat.handleLine('2');
      expect(printed).toContain('Log in with your registered username');
    } finally {
      await app.close();
    }
  });
});

describe('console chat through `npm start`', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'omnipay-console-'));
  const started: Spawned[] = [];
  afterAll(async () => {
    for (const p of started) await stopProcess(p);
  });

  it('holds a scripted conversation and ends cleanly when input closes', async () => {
    const p = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir });
    started.push(p);
    await p.waitFor('What would you like to do?', 90_000);
    expect(p.stdout()).toContain('Welcome to OMNIPAY Assistant.');

    expect(await say(p, '/start', 'What would you like to do?')).toContain('Welcome to OMNIPAY Assistant.');
    // The early greeting (before the database opened) was not repeated by the real first turn.
    expect(p.stdout().split('Welcome to OMNIPAY Assistant.').length - 1).toBe(2);

    const help = await say(p, '/help', 'Commands: /menu');
    expect(help).toContain('I can help you with your OMNIPAY prepaid card');
    expect(help).toContain('Please note that the card may not be used for some online payments or in some stores.');

    expect(await say(p, 'what is the weather like?', 'did not understand')).toContain('Sorry, I did not understand that. Please choose one of the buttons below, or send /help.');

    // At the menu there is no flow to leave.
    expect(await say(p, '/cancel', 'nothing to cancel')).toContain('There is nothing to cancel.');

    const choose = await say(p, '/language', '日本語');
    expect(choose).toContain('Choose your language.');
    const number = /\[(\d+)\] 日本語/.exec(choose)![1]!;
    expect(await say(p, number, '言語を日本語に設定しました。')).toContain('言語を日本語に設定しました。');

    expect(await say(p, '/help', '/language')).toContain('コマンド：/menu ダッシュボード');
    expect(await say(p, '/language en', 'Language set to English.')).toContain('Language set to English.');
    expect(await say(p, '/language ja', '言語を日本語に設定しました。')).toContain('言語を日本語に設定しました。');

    p.child.stdin!.end();
    expect(await p.exited).toBe(0);
    expect(p.stderr()).toBe('');
  }, 180_000);

  it('remembers the chat across a restart (snapshots kept in the embedded database)', async () => {
    const p = spawnCompiled(ASSISTANT, [], { DATA_DIR: dataDir });
    started.push(p);
    await p.waitFor('ご用件をお選びください。', 90_000);
    expect(p.stdout()).not.toContain('What would you like to do?');
    expect(await say(p, '/help', '/language')).toContain('コマンド：/menu ダッシュボード');
    p.child.stdin!.end();
    expect(await p.exited).toBe(0);
  }, 180_000);
});
