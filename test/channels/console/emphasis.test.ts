import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleChannel, supportsColor } from '../../../src/channels/console/console.js';
import type { Engine } from '../../../src/engine/engine.js';

function printed(color: boolean): string {
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const chat = new ConsoleChannel({ engine: {} as Engine, input: new PassThrough(), output, dataDir: '/tmp', color });
  chat.show([{ kind: 'text', text: 'Charge received. Reference: CH-1', html: '<b>Charge received.</b> Reference: <code>CH-1</code>' }]);
  return out;
}

describe('console emphasis', () => {
  it('shows bold and monospace as ANSI when the terminal takes colour', () => {
    expect(printed(true)).toContain('\x1b[1mCharge received.\x1b[0m Reference: \x1b[36mCH-1\x1b[0m');
  });

  it('prints the plain text when it does not', () => {
    const out = printed(false);
    expect(out).toContain('Charge received. Reference: CH-1');
    expect(out).not.toContain('\x1b[');
  });

  it('takes colour on a terminal unless NO_COLOR is set or TERM is dumb; FORCE_COLOR forces it', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(supportsColor(tty, {})).toBe(true);
    expect(supportsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(supportsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(supportsColor(new PassThrough(), {})).toBe(false);
    expect(supportsColor(new PassThrough(), { FORCE_COLOR: '1' })).toBe(true);
  });
});
