import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1). `2` is Algorithm.Argon2id (a const enum). */
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Shortest and longest password accepted (characters, not bytes). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** Why a new password was refused; each has its own message with an example. */
export type PasswordProblem = 'too-short' | 'too-long' | 'common' | 'contains-username';

let common: Set<string> | null = null;

/**
 * The 49,233 most common passwords from zxcvbn-ts (ranked from leaked lists), lower-cased. Loaded
 * once, on first use.
 */
export function commonPasswords(): Set<string> {
  if (!common) {
    const require = createRequire(import.meta.url);
    const list = require('@zxcvbn-ts/language-common/src/passwords.json') as string[];
    common = new Set(list.map((p) => p.toLowerCase()));
  }
  return common;
}

/** Checks a new password against the rules; null when it is acceptable. */
export function passwordProblem(password: string, username: string | null): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'too-short';
  if (length > PASSWORD_MAX) return 'too-long';
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim())) return 'common';
  if (username && lower.includes(username.toLowerCase())) return 'contains-username';
  return null;
}

/** Hashes a password with argon2id (salted; about 50 ms). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2 as never);
}

/** Checks a password against an argon2 hash; false for a malformed hash instead of throwing. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * A hash of a random password with the same cost, verified when the username is unknown so that an
 * unknown user takes as long to refuse as a wrong password.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
