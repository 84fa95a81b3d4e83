import { describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import { commonPasswords, dummyHash, hashPassword, passwordProblem, verifyPassword } from '../../../src/services/members/password-rules.js';
import { caseKey, emailProblem, nameProblem, normaliseCode, usernameProblem } from '../../../flows/signup/rules.js';

describe('password rules', () => {
  it('ships at least 10,000 common passwords and refuses them in any case', () => {
    expect(commonPasswords().size).toBeGreaterThanOrEqual(10_000);
    expect(passwordProblem('password123', null)).toBe('common');
    expect(passwordProblem('QwErTyUiOp', null)).toBe('common');
    expect(passwordProblem('1234567890', null)).toBe('common');
  });

  it('wants 10 to 128 characters (counted as characters, not bytes) without the username', () => {
    expect(passwordProblem('', null)).toBe('too-short');
    expect(passwordProblem('short-pw', null)).toBe('too-short');
    expect(passwordProblem('🔑'.repeat(10), null)).toBeNull();
    expect(passwordProblem('x'.repeat(129), null)).toBe('too-long');
    expect(passwordProblem('x9'.repeat(64), null)).toBeNull();
    expect(passwordProblem('my-JaneDoe-secret', 'janedoe')).toBe('contains-username');
    expect(passwordProblem('blue-kettle-rain-42', 'janedoe')).toBeNull();
  });

  it('hashes with argon2id at m=19 MiB, t=2 and verifies', async () => {
    const h = await hashPassword('blue-kettle-rain-42');
    expect(h.startsWith('$argon2id$')).toBe(true);
    const o = parseOptions(h);
    expect(o.memoryCost).toBeGreaterThanOrEqual(19456);
    expect(o.timeCost).toBeGreaterThanOrEqual(2);
    expect(await verifyPassword(h, 'blue-kettle-rain-42')).toBe(true);
    expect(await verifyPassword(h, 'blue-kettle-rain-43')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect((await dummyHash()).startsWith('$argon2id$')).toBe(true);
  });
});

describe('input rules', () => {
  it('usernames: 3–32 of letters, digits, _ and ., never an e-mail', () => {
    expect(usernameProblem('jane_doe')).toBeNull();
    expect(usernameProblem('  j.doe  ')).toBeNull();
    expect(usernameProblem('')).toBe('empty');
    expect(usernameProblem('   ')).toBe('empty');
    expect(usernameProblem('jane@example.com')).toBe('email');
    expect(usernameProblem('ab')).toBe('length');
    expect(usernameProblem('a'.repeat(33))).toBe('length');
    expect(usernameProblem('a'.repeat(10_000))).toBe('length');
    expect(usernameProblem('jane😀')).toBe('chars');
    expect(usernameProblem("x'; DROP TABLE \"Member\";--")).toBe('chars');
    expect(usernameProblem('jane doe')).toBe('chars');
    expect(caseKey('Jane_Doe')).toBe(caseKey('jANE_dOE'));
  });

  it('e-mails, names and codes', () => {
    expect(emailProblem('jane@example.com')).toBeNull();
    expect(emailProblem('')).toBe('empty');
    expect(emailProblem('jane')).toBe('invalid');
    expect(emailProblem('a@b@example.com')).toBe('invalid');
    expect(emailProblem(`${'a'.repeat(250)}@example.com`)).toBe('invalid');
    expect(nameProblem('山田 花子')).toBeNull();
    expect(nameProblem("Anne-Marie O'Neil")).toBeNull();
    expect(nameProblem('Robert"); DROP TABLE x;--')).toBe('chars');
    expect(nameProblem('🙂')).toBe('chars');
    expect(nameProblem('a'.repeat(101))).toBe('length');
    expect(normaliseCode(' 1234 5678 ')).toBe('12345678');
    expect(normaliseCode('1234-5678')).toBe('12345678');
    expect(normaliseCode('１２３４５６７８')).toBe('12345678');
    expect(normaliseCode('1234567')).toBeNull();
    expect(normaliseCode('abcdefgh')).toBeNull();
  });
});
