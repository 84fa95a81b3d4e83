import { fromPromise } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { SETUPS } from '../support/db.js';
import { TestChat, testApp, type TestApp } from '../support/app.js';
import { counterEntry, counterFlow } from './test-flow.js';

const session = (now: number) => ({ memberId: 'm-turns', username: 'tomo', sessionId: 's-turns', startedAt: now, lastSeenAt: now });

for (const setup of SETUPS) {
  describe(`turn safety on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    let late = 0;
    let bump: ((chatKey: string) => Promise<void>) | undefined;
    beforeAll(async () => {
      // `slow-…` secrets take longer than the turn may; `race-…` secrets make another writer save the chat meanwhile.
      const entry = counterEntry();
      entry.machine = counterFlow.provide({
        actors: {
          digest: fromPromise(async ({ input }: { input: { text: string } }) => {
            if (input.text.startsWith('slow')) {
              await new Promise((r) => setTimeout(r, 2_500));
              late++;
            }
            if (input.text.startsWith('race')) await bump?.(input.text.slice(5));
            return `len:${input.text.length}`;
          }),
        },
      });
      app = await testApp(setup, { TURN_TIMEOUT_SECONDS: '1' }, { flows: [entry] });
      bump = async (chatId) => {
        const key = Engine.chatKey('test', chatId);
        const s = await app.store.loadSnapshot(key);
        await app.store.saveSnapshot(key, s!.version, s!.data, 60_000);
      };
    });
    afterAll(async () => {
      await app?.close();
    });

    it('stops a turn that outlives TURN_TIMEOUT_SECONDS, saves the chat at the menu with a word, and ignores the late result', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      await chat.send('secret');
      await chat.send('slow-pw');
      expect(chat.texts[0]).toContain('took too long');
      expect(chat.texts.at(-1)).toBe('What would you like to do?');
      await new Promise((r) => setTimeout(r, 2_000));
      expect(late).toBeGreaterThan(0);
      // The abandoned side effect finished, and changed nothing: the chat is where the timeout left it.
      const stored = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(stored!.data).not.toContain('len:7');
      expect(JSON.parse(stored!.data).snapshot.value).toBe('menu');
      await chat.send('/help');
      expect(chat.texts.join('\n')).toContain('/cancel');
    });

    it('sends none of a turn\'s replies when its save loses the compare-and-set, and says so', async () => {
      const chat = new TestChat(app);
      await chat.send('/counter');
      await chat.send('secret');
      await chat.send(`race-${chat.chatId}`);
      expect(chat.texts).toEqual([expect.stringContaining('something went wrong')]);
      expect(chat.texts.join('\n')).not.toContain('test-hashed');
      expect(app.logs.text).toContain('this turn was not saved');
    });

    it('logs a member in from outside (setSession) and keeps them logged in across the next turn', async () => {
      const chat = new TestChat(app);
      await app.engine.setSession('test', chat.chatId, session(app.clock.now().getTime()));
      await chat.send('/menu');
      expect(chat.texts.at(-1)).toContain('tomo');
    });
  });
}
