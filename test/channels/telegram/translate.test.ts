import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { parseCommand, translate } from '../../../src/channels/telegram/translate.js';
import { keyboard, splitText } from '../../../src/channels/telegram/render.js';

const from = { id: 7, is_bot: false, first_name: 'A', language_code: 'ja' };
const chat = { id: 7, type: 'private' as const, first_name: 'A' };
const message = (text: string | undefined, extra: object = {}) => ({ update_id: 10, message: { message_id: 3, date: 1, chat, from, ...(text === undefined ? {} : { text }), ...extra } }) as unknown as Update;

describe('Telegram update translation', () => {
  it('reads commands with arguments, deep-link payloads and @bot suffixes', () => {
    expect(parseCommand('/start act_abc-DEF_1')).toEqual({ command: 'start', arg: 'act_abc-DEF_1' });
    expect(parseCommand('/Menu')).toEqual({ command: 'menu', arg: '' });
    expect(parseCommand('/help@omnipay_bot', 'OmniPay_Bot')).toEqual({ command: 'help', arg: '' });
    expect(parseCommand('/help@other_bot', 'omnipay_bot')).toBeNull();
    expect(parseCommand('/start  two words ')).toEqual({ command: 'start', arg: 'two words' });
    expect(parseCommand('/ not a command')).toBeNull();
    expect(parseCommand('hello /start')).toBeNull();
  });

  it('turns messages into text, command or media events keyed by update_id, with the language hint', () => {
    expect(translate(message('hello'))).toEqual({
      kind: 'inbound',
      inbound: { channel: 'telegram', chatId: '7', messageId: '3', updateKey: 'tg:10', kind: 'text', text: 'hello', langHint: 'ja' },
    });
    expect(translate(message('/start pic_1'))).toMatchObject({ inbound: { kind: 'command', command: 'start', arg: 'pic_1' } });
    // Media are their kind only: a caption is never passed on as text.
    expect(translate(message(undefined, { sticker: {} }))).toMatchObject({ inbound: { kind: 'media', media: 'sticker' } });
    expect(translate(message(undefined, { photo: [{}], caption: '3000' }))).toMatchObject({ kind: 'inbound', inbound: { kind: 'media', media: 'photo' } });
    expect(JSON.stringify(translate(message(undefined, { photo: [{}], caption: 'Correct-Horse-Battery-42' })))).not.toContain('Correct-Horse');
    expect(translate(message(undefined, { voice: {} }))).toMatchObject({ inbound: { kind: 'media', media: 'voice' } });
    expect(translate(message(undefined, { document: {}, caption: 'statement' }))).toMatchObject({ inbound: { kind: 'media', media: 'document' } });
  });

  it('turns a button press into the engine data and the id of the message that carried the keyboard', () => {
    const u = { update_id: 11, callback_query: { id: 'cb1', from, chat_instance: 'x', data: 'abc123.2', message: { message_id: 9, date: 1, chat } } } as unknown as Update;
    expect(translate(u)).toEqual({
      kind: 'inbound',
      callbackId: 'cb1',
      inbound: { channel: 'telegram', chatId: '7', messageId: '9', updateKey: 'tg:11', kind: 'button', data: 'abc123.2', langHint: 'ja' },
    });
  });

  it('refuses a press in a private chat whose sender is not that chat (from.id ≠ chat.id), with the id to answer it', () => {
    const u = { update_id: 13, callback_query: { id: 'cb2', from: { ...from, id: 8 }, chat_instance: 'x', data: 'abc123.2', message: { message_id: 9, date: 1, chat } } } as unknown as Update;
    expect(translate(u)).toEqual({ kind: 'wrong-person', callbackId: 'cb2', langHint: 'ja' });
  });

  it('ignores a private-chat message whose sender is not that chat', () => {
    expect(translate(message('hello', { from: { ...from, id: 8 } }))).toEqual({ kind: 'ignore' });
  });

  it('answers groups only when addressed, and never starts a conversation there', () => {
    const group = { id: -100, type: 'group', title: 'G' };
    expect(translate(message('/start', { chat: group }))).toMatchObject({ kind: 'not-private', chatId: '-100' });
    expect(translate(message('chatting among friends', { chat: group }), 'omnipay_bot')).toEqual({ kind: 'ignore' });
    expect(translate(message('hey @omnipay_bot', { chat: group }), 'omnipay_bot')).toMatchObject({ kind: 'not-private' });
    expect(translate({ update_id: 12, edited_message: {} } as unknown as Update)).toEqual({ kind: 'ignore' });
  });
});

describe('Telegram rendering helpers', () => {
  it('builds inline keyboards with the engine data as callback_data', () => {
    expect(keyboard(undefined)).toBeUndefined();
    expect(keyboard([[{ label: 'Yes', data: 's1.0' }, { label: 'No', data: 's1.1' }]])).toEqual({
      inline_keyboard: [[{ text: 'Yes', callback_data: 's1.0' }, { text: 'No', callback_data: 's1.1' }]],
    });
  });

  it('splits text longer than Telegram allows at line breaks', () => {
    expect(splitText('short')).toEqual(['short']);
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} `.padEnd(30, '.'));
    const parts = splitText(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    expect(splitText('x'.repeat(9000)).map((p) => p.length)).toEqual([4096, 4096, 808]);
  });
});
