import { describe, expect, it } from 'vitest';
import { blockText, buttonLabels, checkBlockLimits, findButton, readBlocks } from '../../../src/testkit/slack/blocks.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (text: string, o: Record<string, unknown> = {}) => ({ type: 'button', text: plain(text), action_id: `a_${text.length}`, ...o });

const lookup = {
  text: 'fallback text is not read',
  blocks: [
    { type: 'header', text: plain('alice') },
    { type: 'section', block_id: 'member', text: mrkdwn('Status *active*'), fields: [mrkdwn('*Language*\nen'), mrkdwn('*Log-in*\nlocked')], accessory: button('Unlock log-in', { action_id: 'unlock', value: 'alice' }) },
    { type: 'divider' },
    { type: 'image', image_url: 'https://example.test/x.png', alt_text: 'not read' },
    { type: 'context', elements: [mrkdwn('Created 01/02/2025'), { type: 'image', image_url: 'https://example.test/y.png', alt_text: 'not read' }, plain('Activated 01/03/2025')] },
    { type: 'actions', block_id: 'card-4242', elements: [button('Freeze', { action_id: 'freeze', value: '4242', style: 'danger' }), button('History', { action_id: 'history' }), { type: 'static_select', action_id: 'pick', placeholder: plain('not a button') }] },
  ],
};

describe('Block Kit reader (testkit/slack/blocks.ts)', () => {
  it('reads header, section text and fields, and context texts in order, and nothing from other blocks', () => {
    expect(readBlocks(lookup).texts).toEqual(['alice', 'Status *active*', '*Language*\nen', '*Log-in*\nlocked', 'Created 01/02/2025', 'Activated 01/03/2025']);
    expect(blockText(lookup)).not.toContain('not read');
  });

  it('reads buttons from section accessories and actions blocks, with action_id, value, style and block_id', () => {
    expect(buttonLabels(lookup)).toEqual(['Unlock log-in', 'Freeze', 'History']);
    expect(findButton(lookup, 'Freeze')).toEqual({ text: 'Freeze', actionId: 'freeze', value: '4242', style: 'danger', blockId: 'card-4242' });
    expect(findButton(lookup, 'unlock').text).toBe('Unlock log-in');
    expect(() => findButton(lookup, 'Refund')).toThrow('no button "Refund"; there are: "Unlock log-in", "Freeze", "History"');
  });

  it('reads a modal (as passed to views.open, or as recorded form args with the view as JSON) with its title and inputs', () => {
    const view = { type: 'modal', title: plain('Refund'), blocks: [{ type: 'section', text: mrkdwn('Card *4242*') }, { type: 'input', block_id: 'reason', optional: true, label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'reason_input' } }] };
    const expected = { title: 'Refund', texts: ['Card *4242*'], buttons: [], inputs: [{ label: 'Reason', blockId: 'reason', actionId: 'reason_input', type: 'plain_text_input', optional: true }] };
    expect(readBlocks(view)).toEqual(expected);
    expect(readBlocks({ trigger_id: 'T', view })).toEqual(expected);
    expect(readBlocks({ trigger_id: 'T', view: JSON.stringify(view) })).toEqual(expected);
  });

  it('reads blocks recorded as a JSON string and a bare block array the same way', () => {
    expect(readBlocks({ blocks: JSON.stringify(lookup.blocks) })).toEqual(readBlocks(lookup));
    expect(readBlocks(lookup.blocks)).toEqual(readBlocks(lookup));
  });
});

describe('checkBlockLimits (Slack Block Kit limits)', () => {
  const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: mrkdwn(text), ...extra });
  const modal = (blocks: unknown[], title = 'Refund') => ({ type: 'modal', title: plain(title), blocks });
  const x = (n: number) => 'x'.repeat(n);

  it('finds nothing in a payload at every limit exactly', () => {
    const atLimits = {
      blocks: [
        { type: 'header', text: plain(x(150)) },
        section(x(3000), { block_id: x(255), fields: Array.from({ length: 10 }, () => mrkdwn(x(2000))) }),
        { type: 'actions', elements: Array.from({ length: 25 }, () => button(x(75), { value: x(2000), action_id: x(255) })) },
        ...Array.from({ length: 47 }, () => ({ type: 'divider' })),
      ],
    };
    expect(atLimits.blocks).toHaveLength(50);
    expect(checkBlockLimits(atLimits)).toEqual([]);
    expect(checkBlockLimits(modal(Array.from({ length: 100 }, () => ({ type: 'divider' })), x(24)))).toEqual([]);
  });

  const cases: [string, unknown, { path: string; limit: number; actual: number }][] = [
    ['blocks in a message', { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, { path: 'blocks', limit: 50, actual: 51 }],
    ['blocks in a view', modal(Array.from({ length: 101 }, () => ({ type: 'divider' }))), { path: 'blocks', limit: 100, actual: 101 }],
    ['view title', modal([], x(25)), { path: 'title', limit: 24, actual: 25 }],
    ['section text', { blocks: [section(x(3001))] }, { path: 'blocks[0].text', limit: 3000, actual: 3001 }],
    ['fields in a section', { blocks: [section('s', { fields: Array.from({ length: 11 }, () => mrkdwn('f')) })] }, { path: 'blocks[0].fields', limit: 10, actual: 11 }],
    ['section field text', { blocks: [section('s', { fields: [mrkdwn('ok'), mrkdwn(x(2001))] })] }, { path: 'blocks[0].fields[1]', limit: 2000, actual: 2001 }],
    ['header text', { blocks: [{ type: 'header', text: plain(x(151)) }] }, { path: 'blocks[0].text', limit: 150, actual: 151 }],
    ['elements in an actions block', { blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, () => button('b')) }] }, { path: 'blocks[0].elements', limit: 25, actual: 26 }],
    ['button text', { blocks: [{ type: 'actions', elements: [button(x(76))] }] }, { path: 'blocks[0].elements[0].text', limit: 75, actual: 76 }],
    ['button value', { blocks: [section('s', { accessory: button('b', { value: x(2001) }) })] }, { path: 'blocks[0].accessory.value', limit: 2000, actual: 2001 }],
    ['action_id', { blocks: [{ type: 'actions', elements: [button('b', { action_id: x(256) })] }] }, { path: 'blocks[0].elements[0].action_id', limit: 255, actual: 256 }],
    ['block_id', { blocks: [{ type: 'divider', block_id: x(256) }] }, { path: 'blocks[0].block_id', limit: 255, actual: 256 }],
  ];

  it.each(cases)('finds exactly one violation of "%s", with where, the limit and the actual size', (rule, payload, at) => {
    expect(checkBlockLimits(payload)).toEqual([{ rule, ...at }]);
  });

  it('checks a modal inside a views.open call under view.*', () => {
    expect(checkBlockLimits({ trigger_id: 'T', view: modal([section(x(3001))], x(30)) })).toEqual([
      { path: 'view.title', rule: 'view title', limit: 24, actual: 30 },
      { path: 'view.blocks[0].text', rule: 'section text', limit: 3000, actual: 3001 },
    ]);
  });
});
