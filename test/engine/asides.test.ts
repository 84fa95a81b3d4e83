import { setup as machineSetup } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowInput, UserEvent } from '../../flows/shared/protocol.js';
import { button, say } from '../../flows/shared/say.js';
import { Engine } from '../../src/engine/engine.js';
import type { OutButton } from '../../src/engine/types.js';
import { SETUPS } from '../support/db.js';
import { TestChat, testApp, type TestApp } from '../support/app.js';
import { memberWithCards, sessionFor } from '../support/cards.js';

/**
 * Asides in the middle of a flow — /language and its picker, /help, an unknown command, a sticker —
 * answer without taking the flow's buttons away: the screen the flow showed still works after them.
 * (Found by the hostile-input soak, batch seed 20261285: a press on the picker shown mid-flow got
 * no reply and no button note.)
 */
for (const setup of SETUPS) {
  describe(`asides in a flow on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup);
    });
    afterAll(async () => {
      await app?.close();
    });

    const chargeChat = async () => {
      const chat = new TestChat(app);
      const m = await memberWithCards(app.db, { cards: 1, chatKey: Engine.chatKey('test', chat.chatId) });
      await app.engine.setSession('test', chat.chatId, sessionFor(m, app.clock.now().getTime()));
      await chat.send('/charge');
      const usd = chat.replies.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : [])).find((b: OutButton) => b.label === 'USD');
      expect(usd, 'the withdrawal currency screen offers USD').toBeDefined();
      return { chat, usd: usd!.data };
    };
    const render = (lang: 'en' | 'ja', key: string, vars?: Record<string, string>) => app.catalogue.render(lang, { key, ...(vars ? { vars } : {}) });

    it('a press on the /language picker shown mid-flow switches the language and says so; the flow stays where it was and its buttons above still work', async () => {
      const { chat, usd } = await chargeChat();
      await chat.send('/language');
      expect(chat.texts).toEqual([render('en', 'language-choose')]);
      const r = await chat.press('日本語');
      expect(r.ack, 'no button note instead of a reply').toBeUndefined();
      expect(chat.texts).toEqual([render('ja', 'language-set')]);
      const next = await chat.pressData(usd);
      expect(next.ack, 'the charge screen’s USD button was refused').toBeUndefined();
      expect(chat.texts[0]).toBe(render('ja', 'charge-ask-to', { from: 'USD' }));
    });

    it('the picker’s own buttons and the flow’s both work after /language: the flow’s first, then English', async () => {
      const { chat, usd } = await chargeChat();
      await chat.send('/language');
      const picker = chat.replies.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : []));
      await chat.pressData(usd);
      expect(chat.texts[0]).toBe(render('en', 'charge-ask-to', { from: 'USD' }));
      // The flow moved on: its next screen replaced the one the picker joined.
      const stale = await chat.pressData(picker.find((b) => b.label === '日本語')!.data);
      expect(stale.ack).toBe(render('en', 'button-expired'));
    });

    it('/help, an unknown command and a sticker in the middle of a flow leave its buttons working', async () => {
      const { chat, usd } = await chargeChat();
      await chat.send('/help');
      await chat.send('/no_such_command');
      expect(chat.texts).toEqual([render('en', 'unknown-command')]);
      await app.engine.handle({ channel: 'test', chatId: chat.chatId, kind: 'media', media: 'sticker' });
      await app.engine.deliver('test', chat.chatId);
      const r = await chat.pressData(usd);
      expect(r.ack, 'the charge screen’s USD button was refused').toBeUndefined();
      expect(chat.texts[0]).toBe(render('en', 'charge-ask-to', { from: 'USD' }));
    });

    it('after /help in the middle of a flow, typing "no" still means the screen’s [Cancel], as it did before /help', async () => {
      const pressed = await chargeChat();
      await pressed.chat.press('Cancel');
      const typed = await chargeChat();
      await typed.chat.send('/help');
      await typed.chat.send('no');
      const dashboard = render('en', 'menu-member', { username: '\u0000' }).split('\u0000')[0]!;
      expect(pressed.chat.texts).toEqual([render('en', 'cancelled'), expect.stringContaining(dashboard)]);
      expect(typed.chat.texts).toEqual(pressed.chat.texts.map((t, i) => (i === 1 ? expect.stringContaining(dashboard) : t)));
    });
  });
}

/** A flow whose screen shows [A] and [B] but that only acts on A: B's press is ignored by it. */
const pickyFlow = machineSetup({ types: {} as { context: Record<string, never>; input: FlowInput; events: UserEvent } }).createMachine({
  id: 'picky',
  context: {},
  initial: 'asking',
  states: {
    asking: {
      entry: say('test-pick', undefined, [[button('btn-a', 'a'), button('btn-b', 'b')]]),
      on: { button: { guard: ({ event }) => event.value === 'a', target: 'done' } },
    },
    done: { type: 'final' },
  },
});

describe('a press that the flow ignores', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(SETUPS[0]!, {}, { flows: [{ id: 'picky', requiresLogin: false, menu: { label: 'btn-a', audience: 'all', order: 1 }, machine: pickyFlow }] });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gets a button note saying it did nothing (never silence), and the flow’s screen still works', async () => {
    const chat = new TestChat(app);
    await chat.send('/picky');
    const buttons = chat.replies.flatMap((o) => ('buttons' in o && o.buttons ? o.buttons.flat() : []));
    const r = await chat.press('btn-b');
    expect(r.outbound).toEqual([]);
    expect(r.ack).toBe(app.catalogue.render('en', { key: 'button-no-effect' }));
    const a = await chat.pressData(buttons.find((b) => b.label === 'btn-a')!.data);
    expect(a.ack).toBeUndefined();
    expect(chat.texts.at(-1)).toBe(app.catalogue.render('en', { key: 'menu-guest' }));
  });
});
