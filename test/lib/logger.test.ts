import { describe, expect, it } from 'vitest';
import { errInfo } from '../../src/engine/input.js';
import { createLogger } from '../../src/lib/logger.js';
import { LogCapture } from '../support/app.js';

const lineOf = (log: (l: ReturnType<typeof createLogger>) => void) => {
  const out = new LogCapture();
  const logger = createLogger('info', out);
  log(logger);
  logger.flush();
  return JSON.parse(out.lines.at(-1)!) as Record<string, unknown>;
};

describe('the logger', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

  it('keeps an error’s code (ECONNREFUSED) readable as errorCode, whether logged through errInfo or as the error itself', () => {
    expect(lineOf((l) => l.warn({ err: errInfo(refused) }, 'x')).err).toMatchObject({ message: refused.message, errorCode: 'ECONNREFUSED' });
    expect(lineOf((l) => l.warn({ err: refused }, 'x')).err).toMatchObject({ message: refused.message, errorCode: 'ECONNREFUSED' });
  });

  it('still redacts a field named code anywhere else (an activation or reset code), and the other secret fields', () => {
    const line = lineOf((l) => l.info({ code: '58213947', step: { code: '11223344', pin: '7319' }, password: 'pw', text: 'typed' }, 'x'));
    expect(JSON.stringify(line)).not.toMatch(/58213947|11223344|7319|"pw"|typed/);
    expect(line).toMatchObject({ code: '[redacted]', step: { code: '[redacted]', pin: '[redacted]' }, password: '[redacted]', text: '[redacted]' });
  });
});
