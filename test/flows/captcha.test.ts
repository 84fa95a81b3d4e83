import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, fromPromise, setup as xsetup } from 'xstate';
import { captchaMachine, captchaStep } from '../../flows/shared/captcha.js';
import { port } from '../../flows/shared/port.js';
import type { FlowInput, Lang, UserEvent } from '../../flows/shared/protocol.js';
import { say } from '../../flows/shared/say.js';
import type { FlowEntry } from '../../flows/root.js';
import { Engine } from '../../src/engine/engine.js';
import { SETUPS } from '../support/db.js';
import { TestChat, testApp, type TestApp } from '../support/app.js';

/** A tiny parent: asks a name, runs the CAPTCHA with a [CONTINUE] confirm, then records the name. */
const parent = xsetup({
  types: {} as { context: { chatKey: string; lang: Lang; name: string | null }; input: FlowInput; events: UserEvent },
  actors: { captcha: captchaMachine, record: port<{ name: string }, void>() },
}).createMachine({
  id: 'captchaParent',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang, name: null }),
  initial: 'name',
  states: {
    name: {
      entry: say('test-ask-name'),
      on: { text: { target: 'captcha', actions: assign({ name: ({ event }) => (event as { text: string }).text }) } },
    },
    captcha: captchaStep({ then: 'recording', paused: 'stopped', cancelled: 'stopped', confirm: 'captcha-btn-continue' }),
    recording: {
      invoke: { src: 'record', input: ({ context }) => ({ name: context.name! }), onDone: { target: 'done', actions: say('test-recorded') } },
    },
    done: { type: 'final' },
    stopped: { type: 'final', entry: say('test-stopped') },
  },
  output: () => ({}),
});

/** Same parent without a confirm step or cancel button. */
const quick = xsetup({
  types: {} as { context: { chatKey: string; lang: Lang }; input: FlowInput; events: UserEvent },
  actors: { captcha: captchaMachine },
}).createMachine({
  id: 'captchaQuick',
  context: ({ input }) => ({ chatKey: input.chatKey, lang: input.lang }),
  initial: 'captcha',
  states: {
    captcha: captchaStep({ then: 'done', paused: 'stopped' }),
    done: { type: 'final', entry: say('test-recorded') },
    stopped: { type: 'final', entry: say('test-stopped') },
  },
  output: () => ({}),
});

const recorded: string[] = [];
const entries: FlowEntry[] = [
  {
    id: 'captchaparent',
    requiresLogin: false,
    machine: parent.provide({ actors: { record: fromPromise<void, { name: string }>(async ({ input }) => {
          recorded.push(input.name);
        }) } }),
  },
  { id: 'captchaquick', requiresLogin: false, machine: quick },
];

for (const setup of SETUPS) {
  describe(`captcha sub-flow on ${setup.db} + ${setup.store}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await testApp(setup, {}, { flows: entries });
    });
    afterAll(async () => {
      await app?.close();
    });

    const image = (chat: TestChat) => chat.replies.find((o) => o.kind === 'image');

    it('shows an image with [Reload], draws a new one on a wrong answer keeping the parent data, then continues', async () => {
      const chat = new TestChat(app);
      await chat.send('/captchaparent');
      expect(chat.texts).toEqual(['test-ask-name']);
      await chat.send('Alice');
      const first = image(chat);
      expect(first).toMatchObject({ kind: 'image', caption: expect.stringContaining('capitals matter') });
      expect(first && first.kind === 'image' && first.png.subarray(1, 4).toString()).toBe('PNG');
      expect(first && first.kind === 'image' && first.terminal).toMatch(/[▀▄█]/);
      expect(chat.buttons).toEqual(['Reload', 'Cancel']);

      await chat.send('test42'); // wrong case
      expect(chat.texts[0]).toContain('does not match');
      expect(image(chat)).toBeTruthy();
      expect(chat.buttons).toEqual(['Reload', 'Cancel']);
      const stored = await app.store.loadSnapshot(Engine.chatKey('test', chat.chatId));
      expect(stored!.data).toContain('"name":"Alice"');
      expect(stored!.data).not.toContain('TEST42');

      await chat.press('Reload');
      expect(image(chat)).toBeTruthy();
      expect(chat.texts).toEqual([expect.stringContaining('capitals matter')]);

      await chat.send(' TEST42 ');
      expect(chat.texts).toEqual(['Correct. Press the button below to continue.']);
      expect(chat.buttons).toEqual(['CONTINUE', 'Cancel']);
      await chat.send('TEST42'); // typed again instead of pressing: asked to press
      expect(chat.buttons).toEqual(['CONTINUE', 'Cancel']);
      await chat.press('CONTINUE');
      expect(chat.texts[0]).toBe('test-recorded');
      expect(recorded).toContain('Alice');
    });

    it('leaves through the parent when [Cancel] is pressed', async () => {
      const chat = new TestChat(app);
      await chat.send('/captchaparent');
      await chat.send('Bob');
      await chat.press('Cancel');
      expect(chat.texts[0]).toBe('test-stopped');
      expect(recorded).not.toContain('Bob');
    });

    it('continues at once without a confirm label', async () => {
      const chat = new TestChat(app);
      await chat.send('/captchaquick');
      expect(chat.buttons).toEqual(['Reload']);
      await chat.send('TEST42');
      expect(chat.texts[0]).toBe('test-recorded');
    });

    it('pauses the chat after 5 wrong answers and refuses a new CAPTCHA until the pause is over', async () => {
      const chat = new TestChat(app);
      await chat.send('/captchaquick');
      for (let i = 0; i < 4; i++) {
        await chat.send('wrong');
        expect(chat.texts[0]).toContain('does not match');
      }
      await chat.send('wrong');
      expect(chat.texts[0]).toContain('please wait 5 minutes');
      expect(chat.texts).toContain('test-stopped');
      await chat.send('/captchaquick');
      expect(chat.texts[0]).toContain('please wait');
      expect(image(chat)).toBeUndefined();
      app.clock.advance(5 * 60_000 + 1);
      await chat.send('/captchaquick');
      expect(image(chat)).toBeTruthy();
      await chat.send('TEST42');
      expect(chat.texts[0]).toBe('test-recorded');
    });

    it('answers odd input with a new image and keeps going; an expired image is replaced', async () => {
      const chat = new TestChat(app);
      await chat.send('/captchaquick');
      for (const odd of ['x'.repeat(10_000), '🙂🙂🙂', "' OR 1=1; --"]) {
        await chat.send(odd);
        expect(chat.texts[0]).toContain('does not match');
        expect(image(chat)).toBeTruthy();
      }
      app.clock.advance(5 * 60_000 + 1);
      await chat.send('TEST42');
      expect(chat.texts[0]).toContain('expired');
      expect(image(chat)).toBeTruthy();
      await chat.send('TEST42');
      expect(chat.texts[0]).toBe('test-recorded');
    });

    it('speaks Japanese when the chat does', async () => {
      const chat = new TestChat(app);
      await chat.send('/language ja');
      await chat.send('/captchaquick');
      expect(chat.texts[0]).toContain('大文字と小文字');
      expect(chat.buttons).toEqual(['再表示']);
    });
  });
}
