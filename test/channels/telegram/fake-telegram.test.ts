import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Api, GrammyError, InputFile } from 'grammy';
import { FakeTelegram } from '../../support/fake-telegram.js';

/** The fake Bot API, driven by grammY's real client: the tests of the adapter rely on it behaving like Telegram. */
describe('fake Telegram Bot API', () => {
  let fake: FakeTelegram;
  afterEach(async () => {
    await fake?.close();
  });

  it('answers getMe, rejects a wrong token, and keeps messages with ids, keyboards, photos and documents', async () => {
    fake = await FakeTelegram.start();
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    expect((await api.getMe()).username).toBe('omnipay_test_bot');
    await expect(new Api('1:wrong', { apiRoot: fake.apiRoot }).getMe()).rejects.toMatchObject({ error_code: 401 });
    await expect(api.sendMessage(42, 'hi')).rejects.toThrow(/chat not found/);

    fake.userSays(42, '/start');
    const m1 = await api.sendMessage(42, 'Hello', { reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'a.0' }]] } });
    expect(m1.message_id).toBe(2);
    expect((await fake.nextBotMessage(42)).text).toBe('Hello');
    expect(fake.labels(42)).toEqual(['Go']);
    await api.editMessageText(42, m1.message_id, 'Hello again');
    expect(fake.messages(42)[1]).toMatchObject({ text: 'Hello again', edits: 1 });
    await expect(api.editMessageText(42, m1.message_id, 'Hello again')).rejects.toThrow(/not modified/);

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const p = await api.sendPhoto(42, new InputFile(png, 'captcha.png'), { caption: 'Type the letters', reply_markup: { inline_keyboard: [[{ text: 'Reload', callback_data: 'b.0' }]] } });
    const shown = await fake.nextBotMessage(42);
    expect(shown).toMatchObject({ kind: 'photo', caption: 'Type the letters' });
    expect(shown.photo!.equals(png)).toBe(true);
    const png2 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9]);
    await api.editMessageMedia(42, p.message_id, { type: 'photo', media: new InputFile(png2, 'c2.png'), caption: 'Again' });
    expect(fake.messages(42).find((m) => m.messageId === p.message_id)!.photo!.equals(png2)).toBe(true);

    await api.sendDocument(42, new InputFile(Buffer.from('a,b\n1,2\n'), 'history.csv'), { caption: 'Your history' });
    const doc = await fake.nextBotMessage(42);
    expect(doc.document).toMatchObject({ name: 'history.csv' });
    expect(doc.document!.data.toString()).toBe('a,b\n1,2\n');

    await api.deleteMessage(42, 1);
    await expect(api.deleteMessage(42, 1)).rejects.toThrow(/message to delete not found/);
    expect(fake.calls('deleteMessage')).toHaveLength(2);
    await expect(api.sendMessage(42, 'x', { reply_markup: { inline_keyboard: [[{ text: 'X', callback_data: 'x'.repeat(65) }]] } })).rejects.toThrow(/BUTTON_DATA_INVALID/);
  });

  it('keeps connections alive like Telegram: 30 calls of grammY one after another open one connection', async () => {
    fake = await FakeTelegram.start();
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    fake.userSays(5, 'hi');
    for (let i = 0; i < 15; i++) {
      await api.getMe();
      await api.sendMessage(5, `m${i}`);
    }
    expect(fake.calls('sendMessage').length).toBe(15);
    expect(fake.opened).toBe(1);
  });

  it('serves getUpdates with offsets and long polling, presses buttons, and injects 429 and 409', async () => {
    fake = await FakeTelegram.start();
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    fake.userSays(7, 'hello', { languageCode: 'ja' });
    const first = await api.getUpdates({ timeout: 1 });
    expect(first).toHaveLength(1);
    expect(first[0]!.message).toMatchObject({ text: 'hello', from: { language_code: 'ja' }, chat: { type: 'private' } });
    // Not confirmed yet: served again.
    expect(await api.getUpdates({ timeout: 0 })).toHaveLength(1);
    const started = Date.now();
    const waiting = api.getUpdates({ offset: first[0]!.update_id + 1, timeout: 5 });
    setTimeout(() => fake.userSays(7, '/start ref_abc'), 100);
    const second = await waiting;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(second[0]!.message).toMatchObject({ text: '/start ref_abc', entities: [{ type: 'bot_command', offset: 0, length: 6 }] });

    await api.sendMessage(7, 'Pick', { reply_markup: { inline_keyboard: [[{ text: 'One', callback_data: 's.0' }, { text: 'Two', callback_data: 's.1' }]] } });
    const press = fake.press(7, 'Two');
    const got = await api.getUpdates({ offset: second[0]!.update_id + 1 });
    expect(got[0]!.callback_query).toMatchObject({ data: 's.1', message: { message_id: 3 } });
    await api.answerCallbackQuery(got[0]!.callback_query!.id, { text: 'ok' });
    expect(fake.callbackAnswer((press.callback_query as { id: string }).id)).toEqual({ answered: true, text: 'ok' });

    fake.rateLimit('sendMessage', 2);
    const err = await api.sendMessage(7, 'later').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).parameters.retry_after).toBe(2);
    await api.sendMessage(7, 'now');

    fake.conflictOnPoll();
    await expect(api.getUpdates({ timeout: 0 })).rejects.toMatchObject({ error_code: 409 });
  });

  it('pushes updates to the webhook with the secret header and retries failed deliveries', async () => {
    fake = await FakeTelegram.start({ webhookRetryMs: 20 });
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const seen: { secret: string | undefined; body: { update_id: number } }[] = [];
    let failFirst = true;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failFirst) {
          failFirst = false;
          res.writeHead(500).end();
          return;
        }
        seen.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString()) as { update_id: number } });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
      await api.setWebhook(url, { secret_token: 's3cret' });
      await expect(api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
      const u = fake.userSays(5, 'hi');
      await fake.settle(100);
      expect(seen).toEqual([{ secret: 's3cret', body: expect.objectContaining({ update_id: u.update_id }) }]);
      expect(fake.deliveries.map((d) => d.status)).toEqual([500, 200]);
      await api.deleteWebhook();
      expect(fake.webhookInfo).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
