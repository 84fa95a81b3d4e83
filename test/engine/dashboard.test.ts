import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestChat, testApp, type TestApp } from '../support/app.js';

describe('dashboard built-in entries', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp({ db: 'pglite', store: 'memory' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('offers Help and Language to guests, and Log out only to members', async () => {
    const chat = new TestChat(app);
    await chat.send('/menu');
    expect(chat.buttons).toEqual(expect.arrayContaining(['Help', 'Language / 言語']));
    expect(chat.buttons).not.toContain('Log out');
    await chat.press('Help');
    expect(chat.texts[0]).toContain('Please note that the card may not be used');
    await chat.send('/menu');
    await chat.press('Language');
    await chat.press('日本語');
    expect(chat.texts[0]).toContain('日本語');

    const now = app.clock.now().getTime();
    await app.engine.setSession('test', chat.chatId, { memberId: 'nobody', username: 'alice', sessionId: 's', startedAt: now, lastSeenAt: now });
    await chat.send('/language en');
    await chat.send('/menu');
    expect(chat.texts.at(-1)).toContain('alice');
    await chat.press('Log out');
    expect(chat.texts[0]).toBe('You have been logged out.');
    expect(chat.buttons).not.toContain('Log out');
  });
});
