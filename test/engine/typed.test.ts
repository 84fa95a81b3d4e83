import { describe, expect, it } from 'vitest';
import { normalizeLabel, typedButton } from '../../src/engine/typed.js';

const words = { yes: ['yes', 'ok', 'はい'], no: ['no', 'いいえ'] };
const quote = { labels: ['Confirm', 'Change', 'Cancel'].map(normalizeLabel), keys: ['charge-btn-confirm', 'charge-btn-change', 'btn-cancel'] };

describe('typing where buttons are expected', () => {
  it('takes a typed label as that button, whatever the case, width, brackets or arrows', () => {
    expect(typedButton(quote, 'confirm', words)).toBe(0);
    expect(typedButton(quote, '[Change]', words)).toBe(1);
    expect(typedButton(quote, ' ＣＡＮＣＥＬ ', words)).toBe(2);
    const page = { labels: ['◀ Prev', 'Next ▶', 'Done'].map(normalizeLabel), keys: ['history-btn-prev', 'history-btn-next', 'history-btn-done'] };
    expect(typedButton(page, 'next', words)).toBe(1);
  });

  it('takes yes and no (in either language) as the screen\'s confirming and cancelling buttons', () => {
    expect(typedButton(quote, 'Yes', words)).toBe(0);
    expect(typedButton(quote, 'はい', words)).toBe(0);
    expect(typedButton(quote, 'no', words)).toBe(2);
    expect(typedButton(quote, 'いいえ', words)).toBe(2);
  });

  it('leaves anything else as text: other words, a word naming two buttons, yes where nothing confirms, no screen', () => {
    expect(typedButton(quote, 'confirm please', words)).toBeNull();
    expect(typedButton(quote, '10000', words)).toBeNull();
    expect(typedButton(quote, '   ', words)).toBeNull();
    const twoCards = { labels: ['Freeze •••• 1234', 'Freeze •••• 1234'].map(normalizeLabel), keys: ['cards-btn-freeze', 'cards-btn-freeze'] };
    expect(typedButton(twoCards, 'freeze 1234', words)).toBeNull();
    const menu = { labels: ['Balance inquiry', 'Help'].map(normalizeLabel), keys: ['menu-balance', 'menu-help'] };
    expect(typedButton(menu, 'yes', words)).toBeNull();
    expect(typedButton(null, 'confirm', words)).toBeNull();
    expect(typedButton({ labels: [], keys: [] }, 'confirm', words)).toBeNull();
  });
});
