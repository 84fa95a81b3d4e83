import { describe, expect, it } from 'vitest';
import { QUICK_ACTION, quickAction } from '../../flows/shared/protocol.js';
import { quickActions } from '../../src/app/notices.js';
import { renderReplies, resolveButton, type ChatRecord } from '../../src/engine/render.js';

const catalogue = { render: (_lang: string, m: { key: string }) => m.key, html: (_lang: string, m: { key: string }) => m.key } as never;

describe('quick actions on notices', () => {
  it('offers [Balance] [Charge again] on a completed charge, [Freeze card] and support on a purchase, nothing on a decline', () => {
    expect(quickActions('charge-completed', {})?.flat().map((b) => b.value)).toEqual(['go:balance', 'go:charge']);
    expect(quickActions('usage-approved-purchase', { last4: '1234' })?.flat().map((b) => b.value)).toEqual(['go:cards:freeze:1234', 'go:support']);
    expect(quickActions('usage-approved-atm', { last4: '1234' })?.flat().map((b) => b.value)).toEqual(['go:cards:freeze:1234', 'go:support']);
    expect(quickActions('usage-declined-insufficient-funds', { last4: '1234' })).toBeUndefined();
    expect(quickActions('usage-approved-refund', { last4: '1234' })).toBeUndefined();
  });

  it('are their own callback data (valid Telegram data, at most 64 bytes) and belong to no screen', () => {
    for (const b of [...quickActions('charge-completed', {})!, ...quickActions('usage-approved-purchase', { last4: '9876' })!].flat()) {
      expect(Buffer.byteLength(b.value)).toBeLessThanOrEqual(64);
      expect(QUICK_ACTION.test(b.value)).toBe(true);
    }
    const { outbound, screen } = renderReplies(catalogue, [{ kind: 'text', msg: { key: 'charge-completed' }, buttons: quickActions('charge-completed', {})! }], 'en', { channel: 'x', chatId: '1', kind: 'command' }, false);
    expect(screen).toBeNull();
    expect(outbound[0]).toMatchObject({ buttons: [[{ data: 'go:balance' }, { data: 'go:charge' }]] });
  });

  it('still resolve after later screens replaced the one they came with, while a stale screen button does not', () => {
    const later: ChatRecord = { snapshot: {}, screen: { id: 'abc123', values: ['confirm'] }, updatedAt: 0 };
    expect(resolveButton(later, 'go:balance')).toBe('go:balance');
    expect(resolveButton(null, 'go:cards:freeze:1234')).toBe('go:cards:freeze:1234');
    expect(resolveButton(later, 'old999.0')).toBeNull();
    expect(quickAction('go:cards:freeze:1234')).toEqual({ flow: 'cards', arg: 'freeze:1234' });
    // Anything else shaped like data is not a quick action (and, with no screen of that id, expired).
    expect(quickAction('go:')).toBeNull();
    expect(quickAction('go:Balance; drop')).toBeNull();
    expect(resolveButton(later, 'go:Balance; drop')).toBeNull();
  });
});

describe('which presses edit the pressed message', () => {
  const nav = { id: 'nav001', values: ['do:help'], nav: true as const };
  const reply = [{ kind: 'text' as const, msg: { key: 'balance' } }];
  it('a press on the navigation screen edits it; a quick action on a notice, or a typed label, sends anew', () => {
    const press = renderReplies(catalogue, reply, 'en', { channel: 'x', chatId: '1', kind: 'button', data: 'nav001.0', messageId: '7' }, true, nav);
    expect(press.outbound[0]).toMatchObject({ editOf: '7' });
    // The notice (message 9) keeps its text: the quick action's answer comes below it.
    const quick = renderReplies(catalogue, reply, 'en', { channel: 'x', chatId: '1', kind: 'button', data: 'go:balance', messageId: '9' }, true, nav);
    expect(quick.outbound[0]).not.toHaveProperty('editOf');
    // A label typed by the person is read as the press, but their message is not the bot's to edit.
    const typed = renderReplies(catalogue, [{ ...reply[0]!, replace: true }], 'en', { channel: 'x', chatId: '1', kind: 'text', text: 'help', messageId: '11' }, true, nav);
    expect(typed.outbound[0]).not.toHaveProperty('editOf');
  });
});
