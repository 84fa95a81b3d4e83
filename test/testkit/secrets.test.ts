import { describe, expect, it } from 'vitest';
import { standalone } from '../support/secrets.js';

describe('standalone secret matcher', () => {
  it('does not find a PIN inside a log timestamp, an id or a longer number', () => {
    const line = '{"level":20,"time":1796308334050,"chat":"telegram:734051","id":"a3405b","ref":"OP-3405-X"}';
    expect(line).toContain('3405');
    expect(standalone('3405').test(line)).toBe(false);
  });

  it('finds a PIN or code standing on its own: a JSON value, in a sentence, at either end', () => {
    expect(standalone('3405').test('{"pin":"3405"}')).toBe(true);
    expect(standalone('3405').test('your PIN 3405.')).toBe(true);
    expect(standalone('3405').test('3405')).toBe(true);
    expect(standalone('481920').test('code=481920 sent')).toBe(true);
  });
});
