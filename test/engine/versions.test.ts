import { setup as machineSetup } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app/app.js';
import type { FlowEntry } from '../../flows/root.js';
import type { FlowInput, UserEvent } from '../../flows/shared/protocol.js';
import { say } from '../../flows/shared/say.js';
import { Engine } from '../../src/engine/engine.js';
import { SETUPS, reopenStore } from '../support/db.js';
import { TestChat, testApp, type TestApp } from '../support/app.js';
import { counterEntry } from './test-flow.js';

/** The same flow id with other states: what a deploy that changed the flow looks like. */
function counterV2(): FlowEntry {
  const machine = machineSetup({ types: {} as { input: FlowInput; events: UserEvent } }).createMachine({
    id: 'counter',
    initial: 'asking',
    entry: say('test-count-v2'),
    states: { asking: { on: { text: 'answered' } }, answered: { entry: say('test-answered-v2'), on: { text: 'asking' } } },
  });
  return { ...counterEntry(), machine };
}

/** A flow the old root did not have (the root machine changes with it). */
const extraFlow: FlowEntry = { id: 'extra', requiresLogin: false, machine: machineSetup({}).createMachine({ id: 'extra', initial: 'x', states: { x: {} } }) };

const session = (now: number) => ({ memberId: 'm-versions', username: 'vera', sessionId: 's-versions', startedAt: now, lastSeenAt: now });

for (const setup of SETUPS) {
  describe(`machine versions on ${setup.db} + ${setup.store}`, () => {
    let old: TestApp;
    const others: App[] = [];
    /** Another process on the same database and store, with these flows. */
    const process = async (flows: FlowEntry[]) => {
      const store = await reopenStore(setup.store, old);
      const app = await openApp(old.config, { db: old.db, store, clock: old.clock, log: old.log, quietMetrics: true, flows });
      app.onClose(() => store.close());
      others.push(app);
      return app;
    };
    beforeAll(async () => {
      old = await testApp(setup, {}, { flows: [counterEntry()] });
    });
    afterAll(async () => {
      for (const a of others) await a.close();
      await old?.close();
    });

    it('after a deploy that changed a flow, resets only the chats inside that flow, to the menu with a word', async () => {
      const inFlow = new TestChat(old);
      await inFlow.send('/counter');
      await inFlow.send('x');
      const atMenu = new TestChat(old);
      await atMenu.send('/start');
      const next = await process([counterV2()]);
      const inFlowNew = new TestChat(next, inFlow.chatId);
      await inFlowNew.send('y');
      expect(inFlowNew.texts[0]).toContain('was updated while we were talking');
      expect(inFlowNew.texts.at(-1)).toBe('What would you like to do?');
      expect(JSON.parse((await next.store.loadSnapshot(Engine.chatKey('test', inFlow.chatId)))!.data).snapshot.value).toBe('menu');
      const atMenuNew = new TestChat(next, atMenu.chatId);
      await atMenuNew.send('/help');
      expect(atMenuNew.texts.join('\n')).not.toContain('was updated');
      // The new flow runs as itself from then on.
      await inFlowNew.send('/counter');
      expect(inFlowNew.texts).toEqual(['test-count-v2']);
    });

    it('keeps the member logged in when the root machine itself changed', async () => {
      const chat = new TestChat(old);
      await old.engine.setSession('test', chat.chatId, session(old.clock.now().getTime()));
      await chat.send('/counter');
      const next = await process([counterEntry(), extraFlow]);
      const again = new TestChat(next, chat.chatId);
      await again.send('x');
      expect(again.texts[0]).toContain('was updated while we were talking');
      expect(again.texts.at(-1)).toContain('vera');
    });

    // Several processes share conversations only through Redis (the in-process store serves one process).
    if (setup.store === 'redis') it('during a rolling deploy, an older process leaves a chat saved by the newer one alone instead of resetting it', async () => {
      const next = await process([counterV2()]);
      const chat = new TestChat(next);
      await chat.send('/counter');
      const key = Engine.chatKey('test', chat.chatId);
      const saved = await next.store.loadSnapshot(key);
      const oldChat = new TestChat(old, chat.chatId);
      await oldChat.send('x');
      expect(oldChat.texts).toEqual([expect.stringContaining('being updated')]);
      expect(await old.store.loadSnapshot(key)).toEqual(saved);
      // The newer process goes on with it.
      await chat.send('y');
      expect(chat.texts).toEqual(['test-answered-v2']);
    });
  });
}
