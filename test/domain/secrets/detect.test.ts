import { describe, expect, it } from 'vitest';
import { secretIn } from '../../../src/domain/secrets/detect.js';

describe('secretIn: what must not be relayed to a person', () => {
  it.each([
    ['4111 1111 1111 1111', 'card-number'],
    ['my card is 4111-1111-1111-1111, please check', 'card-number'],
    ['9999011234567890', 'card-number'],
    ['４１１１１１１１１１１１１１１１', 'card-number'],
    ['4821', 'pin'],
    ['  4821 ', 'pin'],
    ['my PIN is 4821', 'pin'],
    ['暗証番号は4821です', 'pin'],
    ['48213977', 'code'],
    ['the code: 48213977', 'code'],
    ['認証コードは 48213977', 'code'],
    ['Correct-Horse-Battery-42', 'password'],
    ['my password is hunter2', 'password'],
    ['password: Tr0ub4dor&3', 'password'],
    ['パスワードはAbcd1234', 'password'],
  ] as const)('%j looks like a %s', (text, kind) => {
    expect(secretIn(text)).toBe(kind);
  });

  it.each([
    'My card was declined at a shop',
    'My PIN is locked, can you help?',
    'the password is wrong.',
    'I forgot my password',
    'I paid 10000 yen yesterday',
    'last 4: 1234',
    'CH-7K2M9QAB',
    'SUP-00042',
    'alice@example.com',
    'https://example.com/Receipt-42',
    'hello',
    'カードが使えません',
    '',
    '   ',
  ])('%j passes', (text) => {
    expect(secretIn(text)).toBeNull();
  });
});
