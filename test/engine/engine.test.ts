import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { openApp } from '../../src/app/app.js';
import { SETUPS, reopenStore } from '../support/db.js';
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
      const before = chat.delivered.length;
      const results = await Promise.all(Array.from({ length: 200 }, () => chat.send('x')));
      const expected = Array.from({ length: 200 }, (_, i) => `test-count-${i + 1}`);
      // The i-th message sent was the i-th turn, and the chat was shown the replies in that order.
      expect(results.map((r) => (r.outbound[0] as { text: string }).text)).toEqual(expected);
      expect(chat.delivered.slice(before)).toEqual(expected);
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

    it('refuses a button shown at an earlier step as expired once the flow moved to another step', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      await chat.send('secret');
      await chat.send('pw');
      const old = chat.replies.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : []))[0]!.data;
      await chat.send('secret'); // another step (asking for the secret again)
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

    it('keeps de-duplication state inside the chat: its 16 latest update keys, none kept per update elsewhere', async () => {
      const chat = new TestChat(app);
      for (let i = 0; i < 40; i++) await app.engine.handle({ channel: 'test', chatId: chat.chatId, kind: 'command', command: 'help', arg: '', updateKey: `k-${chat.chatId}-${i}` });
      const record = JSON.parse((await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId)))!.data) as { seen: string[] };
      expect(record.seen).toEqual(Array.from({ length: 16 }, (_, i) => `k-${chat.chatId}-${i + 24}`));
      expect(await app.store.get(`update:k-${chat.chatId}-39`)).toBeNull();
      const again = await app.engine.handle({ channel: 'test', chatId: chat.chatId, kind: 'command', command: 'help', arg: '', updateKey: `k-${chat.chatId}-39` });
      expect(again.duplicate).toBe(true);
    });

    it('recovers an unreadable snapshot to the menu with a note', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      const key = Engine.chatKey('test', chat.chatId);
      const stored = await app.store.loadSnapshot(key);
      // Saved by this very version, but in a state the machine does not have.
      const record = JSON.parse(stored!.data) as { root: string };
      await app.store.saveSnapshot(key, stored!.version, JSON.stringify({ root: record.root, snapshot: { status: 'active', value: 'nowhere', context: {} }, screen: null, updatedAt: Date.now() }), 60_000);
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
      // A new process: its own store object (connection, in-process state) over the same data.
      const store = await reopenStore(setup.store, app);
      const again = await openApp(app.config, { db: app.db, store, clock: app.clock, log: app.log, quietMetrics: true, flows: [counterEntry()] });
      again.onClose(() => store.close());
      const chat2 = new TestChat(again, chat.chatId);
      await chat2.send('c');
      expect(chat2.texts).toEqual(['test-count-3']);
      const stored = await store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(stored!.data).toContain('"n":3');
      await again.close();
    });
  });
}
