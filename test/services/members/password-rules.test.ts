import { describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import { commonPasswords, dummyHash, hashPassword, passwordAdvice, passwordProblem, verifyPassword } from '../../../src/services/members/password-rules.js';
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
    expect(passwordProblem('🔑kettle-rain-4', null)).toBeNull();
    expect(passwordProblem('x'.repeat(129), null)).toBe('too-long');
    expect(passwordProblem(('blue-kettle-rain-42-' + 'mossy-harbour-lamp-9-').repeat(4).slice(0, 128), null)).toBeNull();
    expect(passwordProblem('my-JaneDoe-secret', 'janedoe')).toBe('contains-username');
    expect(passwordProblem('blue-kettle-rain-42', 'janedoe')).toBeNull();
  });

  it('refuses easily guessed passwords that pass the other rules (zxcvbn score below 3), with advice', () => {
    expect(passwordProblem('02/29/2024', null)).toBe('weak');
    expect(passwordAdvice('02/29/2024', null)).toEqual({ warning: 'dates', suggestion: 'dates' });
    expect(passwordProblem('🔑'.repeat(10), null)).toBe('weak');
    expect(passwordAdvice('🔑'.repeat(10), null)).toEqual({ warning: 'extendedRepeat', suggestion: 'repeated' });
    expect(passwordProblem('x9'.repeat(64), null)).toBe('weak');
    expect(passwordProblem('iloveyou1234', null)).toBe('weak');
    expect(passwordAdvice('iloveyou1234', null)).toEqual({ warning: 'similarToCommon', suggestion: 'anotherWord' });
    // The username counts as a known word: a password built round it is weak even when not containing it whole.
    expect(passwordProblem('Jane_Doe-2024', 'jane.doe')).toBe('weak');
    expect(passwordAdvice('Jane_Doe-2024', 'jane.doe')).toEqual({ warning: 'userInputs', suggestion: 'anotherWord' });
    for (const strong of ['blue-kettle-rain-42', 'Correct-Horse-Battery-42', 'Tr0ub4dor&3x']) expect(passwordProblem(strong, 'jane_doe')).toBeNull();
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
