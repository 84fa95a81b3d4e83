import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { openApp } from '../../src/app/app.js';
import { SETUPS } from '../support/db.js';
import { TestChat, testApp, type TestApp } from '../support/app.js';
import { counterEntry } from './test-flow.js';

for (const setup of SETUPS) {
  describe(`engine on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup, {}, { flows: [counterEntry()] });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('greets a new chat with the dashboard and answers what it does not understand', async () => {
      const chat = new TestChat(app);
      await chat.send('/start');
      expect(chat.texts[0]).toContain('Welcome to OMNIPAY');
      expect(chat.texts.at(-1)).toBe('What would you like to do?');
      await chat.send('gibberish');
      expect(chat.texts[0]).toContain('did not understand');
      expect(chat.buttons.length).toBeGreaterThan(0);
    });

    it('keeps 200 turns sent at once for one chat in arrival order', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      const results = await Promise.all(Array.from({ length: 200 }, () => chat.send('x')));
      const counts = results.map((r) => r.outbound.length);
      expect(counts.every((c) => c === 1)).toBe(true);
      // Each turn increments the counter once; the last snapshot holds 200.
      const stored = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(stored!.data).toContain('"n":200');
    });

    it('runs 50 chats in parallel without mixing their state', async () => {
      const chats = Array.from({ length: 50 }, () => new TestChat(app));
      await Promise.all(chats.map((c) => c.send('/counter')));
      await Promise.all(chats.flatMap((c, i) => Array.from({ length: (i % 5) + 1 }, () => c.send('y'))));
      for (const [i, c] of chats.entries()) {
        const stored = await app.store.loadSnapshot(Engine.chatKey('test', c.chatId));
        expect(stored!.data).toContain(`"n":${(i % 5) + 1}`);
      }
    });

    it('deletes a secret message, waits for side effects, and never stores the secret', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      await chat.send('secret');
      expect(chat.texts).toEqual(['test-ask-secret']);
      const r = await chat.send('hunter2-canary');
      // The third message of the chat: the one that held the secret.
      expect(r.outbound[0]).toEqual({ kind: 'delete', messageId: '3' });
      expect(chat.texts).toEqual(['test-hashed']);
      const stored = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(stored!.data).not.toContain('hunter2-canary');
      expect(stored!.data).toContain('len:14');
      expect(app.logs.text).not.toContain('hunter2-canary');
    });

    it('refuses a button from an older screen as expired', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      await chat.send('secret');
      await chat.send('pw');
      const old = chat.replies.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : []))[0]!.data;
      await chat.send('z'); // a new screen
      const r = await chat.pressData(old);
      expect(r.ack).toContain('expired');
      expect(r.outbound).toEqual([]);
    });

    it('leaves any state with /cancel', async () => {
      for (const path of [[], ['secret']]) {
        const chat = new TestChat(app);
        await chat.send('/counter');
        for (const step of path) await chat.send(step);
        await chat.send('/cancel');
        expect(chat.texts[0]).toContain('Cancelled');
        expect(chat.texts.at(-1)).toBe('What would you like to do?');
      }
    });

    it('processes a redelivered update once', async () => {
      const chat = new TestChat(app);
      const key = `u-${Math.random()}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, () => app.engine.handle({ channel: 'test', chatId: chat.chatId, kind: 'command', command: 'help', arg: '', updateKey: key })),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    });

    it('recovers an unreadable snapshot to the menu with a note', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      const key = Engine.chatKey('test', chat.chatId);
      const stored = await app.store.loadSnapshot(key);
      await app.store.saveSnapshot(key, stored!.version, '{"machine":"x","snapshot":{"status":"active","value":"nowhere","context":{}},"screen":null,"updatedAt":' + Date.now() + '}', 60_000);
      await chat.send('hello');
      expect(chat.texts.join('\n')).toContain('could not continue');
      await chat.send('/menu');
      expect(chat.texts.at(-1)).toBe('What would you like to do?');
    });

    it('continues where it was with a new engine on the same store (restart)', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      await chat.send('a');
      await chat.send('b');
      const again = await openApp(app.config, { db: app.db, store: app.store, clock: app.clock, log: app.log, quietMetrics: true, flows: [counterEntry()] });
      const chat2 = new TestChat(again, chat.chatId);
      await chat2.send('c');
      const stored = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(stored!.data).toContain('"n":3');
    });
  });
}
