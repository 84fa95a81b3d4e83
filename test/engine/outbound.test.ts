import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery.js';
import { Engine } from '../../src/engine/engine.js';
import type { Outbound } from '../../src/engine/types.js';
import { SETUPS } from '../support/db.js';
import { testApp, type TestApp } from '../support/app.js';
import { counterEntry } from './test-flow.js';

const session = (now: number) => ({ memberId: 'm-outbound', username: 'olga', sessionId: 's-outbound', startedAt: now, lastSeenAt: now });

/** A channel whose sender fails as told: `fail` holds what the next calls throw (undefined: deliver). */
class FlakyChannel {
  readonly shown: string[] = [];
  fail: (Error | undefined)[] = [];
  calls = 0;
  constructor(readonly app: TestApp, readonly name: string) {
    app.engine.delivery.setSender(name, async (_chatId, outbound: Outbound[]) => {
      this.calls++;
      const err = this.fail.shift();
      if (err) throw err;
      for (const o of outbound) this.shown.push(o.kind === 'text' ? o.text : `[${o.kind}]`);
    });
  }
  async say(chatId: string, text: string): Promise<void> {
    const m = /^\/(\w+)$/.exec(text);
    await this.app.engine.handle({ channel: this.name, chatId, ...(m ? { kind: 'command', command: m[1]!, arg: '' } : { kind: 'text', text }) });
    await this.app.engine.deliver(this.name, chatId);
  }
  async snapshot(chatId: string): Promise<string> {
    return (await this.app.store.loadSnapshot(Engine.chatKey(this.name, chatId)))!.data;
  }
}

for (const setup of SETUPS) {
  describe(`outbound queue on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let n = 0;
    const channel = () => new FlakyChannel(app, `flaky${++n}`);
    beforeAll(async () => {
      app = await testApp(setup, {}, { flows: [counterEntry()] });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('keeps a turn\'s replies queued while the channel fails, then delivers them and the next turn\'s in order', async () => {
      const ch = channel();
      await ch.say('c1', '/counter');
      ch.fail = [new Error('connection reset')];
      await ch.say('c1', 'x');
      expect(ch.shown).toEqual(['test-count']);
      // The next turn queues behind the waiting one: nothing overtakes it.
      await ch.say('c1', 'y');
      expect(ch.shown).toEqual(['test-count']);
      app.clock.advance(1_500);
      await app.engine.delivery.sweep();
      expect(ch.shown).toEqual(['test-count', 'test-count-1', 'test-count-2']);
    });

    it('goes on from the item that failed, without sending the earlier ones again', async () => {
      const ch = channel();
      ch.fail = [undefined, new DeliveryError('429 Too Many Requests', false, 30_000)];
      await ch.say('c2', '/start');
      expect(ch.shown).toEqual([expect.stringContaining('Welcome to OMNIPAY')]);
      app.clock.advance(20_000);
      expect(await app.engine.delivery.sweep()).toBe(0);
      app.clock.advance(11_000);
      await app.engine.delivery.sweep();
      expect(ch.shown).toEqual([expect.stringContaining('Welcome to OMNIPAY'), 'What would you like to do?']);
    });

    it('gives an entry up at once on a permanent refusal and delivers the next one', async () => {
      const ch = channel();
      ch.fail = [new DeliveryError('400 Bad Request: chat not found', true)];
      await ch.say('c3', '/help');
      await ch.say('c3', '/menu');
      expect(ch.shown).toEqual(['What would you like to do?']);
      expect(app.logs.lines.some((l) => l.includes('message undeliverable; given up') && l.includes(`${ch.name}:c3`) && l.includes('chat not found'))).toBe(true);
    });

    it('gives an entry up after the last retry instead of trying forever', async () => {
      const ch = channel();
      ch.fail = Array.from({ length: 20 }, () => new Error('timeout'));
      await ch.say('c4', '/help');
      for (let i = 0; i < 10; i++) {
        app.clock.advance(3600_000);
        await app.engine.delivery.sweep();
      }
      expect(ch.calls).toBe(7);
      ch.fail = [];
      await ch.say('c4', '/menu');
      expect(ch.shown).toEqual(['What would you like to do?']);
    });

    it('applies a notice to the conversation only when it is delivered', async () => {
      const ch = channel();
      await ch.say('c5', '/start');
      await app.engine.setSession(ch.name, 'c5', session(app.clock.now().getTime()));
      ch.fail = [new Error('connection reset')];
      await app.engine.queueNotice(ch.name, 'c5', { id: 'n-end-1', msg: { key: 'session-ended-elsewhere' }, endSession: true });
      await app.engine.deliver(ch.name, 'c5');
      // Not seen yet, so the chat is still logged in.
      expect(await ch.snapshot('c5')).toContain('"memberId":"m-outbound"');
      app.clock.advance(1_500);
      await app.engine.delivery.sweep();
      expect(ch.shown.join('\n')).toContain('logged in from another chat');
      expect(await ch.snapshot('c5')).not.toContain('"memberId":"m-outbound"');
    });

    it('queues a notice once however often it is queued', async () => {
      const ch = channel();
      await ch.say('c6', '/start');
      const before = ch.shown.length;
      await Promise.all(Array.from({ length: 5 }, () => app.engine.queueNotice(ch.name, 'c6', { id: 'n-once', msg: { key: 'logged-out' } })));
      await app.engine.deliver(ch.name, 'c6');
      expect(ch.shown.slice(before)).toEqual(['You have been logged out.']);
    });
  });
}
