import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** Argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1). `2` is Algorithm.Argon2id (a const enum). */
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Shortest and longest password accepted (characters, not bytes). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** Why a new password was refused; each has its own message with an example. */
export type PasswordProblem = 'too-short' | 'too-long' | 'common' | 'contains-username' | 'weak';

/**
 * Least zxcvbn score accepted (0–4). 3 means about 10^8 guesses or more: "safely unguessable" by an
 * online attack against the log-in (lock-out, CAPTCHA), which is the attack a password here meets;
 * 4 would refuse many passwords people can remember without protecting much more.
 */
export const PASSWORD_MIN_SCORE = 3;

/** zxcvbn's advice on a weak password, as its own keys (the catalogues word them in each language). */
export interface PasswordAdvice {
  /** Why it is weak (`dates`, `similarToCommon` …), or `none`. */
  warning: string;
  /** What to do instead (`dates`, `anotherWord` …). */
  suggestion: string;
}

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

let zxcvbn: ZxcvbnFactory | null = null;

/** The strength estimator with the common passwords and keyboard layouts (built once, ~75 ms). */
function estimator(): ZxcvbnFactory {
  // No translations: feedback comes back as keys, which the catalogues word in en and ja.
  zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return zxcvbn;
}

/** What zxcvbn makes of a password, with the username (and its parts) as words an attacker knows. */
function estimate(password: string, username: string | null) {
  // The username as typed, with either separator or none, and its parts: jane.doe → jane_doe, janedoe, jane, doe.
  const inputs = username ? [username, username.replace(/[._]/g, '_'), username.replace(/[._]/g, '.'), username.replace(/[._]/g, ''), ...username.split(/[._]/).filter((w) => w.length >= 3)] : [];
  return estimator().check(password, inputs);
}

/** Checks a new password against the rules; null when it is acceptable. */
export function passwordProblem(password: string, username: string | null): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'too-short';
  if (length > PASSWORD_MAX) return 'too-long';
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim())) return 'common';
  if (username && lower.includes(username.toLowerCase())) return 'contains-username';
  if (estimate(password, username).score < PASSWORD_MIN_SCORE) return 'weak';
  return null;
}

/**
 * Why zxcvbn finds a password weak and what to do instead: its warning and its most specific
 * suggestion ("add another word" only when it has nothing better).
 */
export function passwordAdvice(password: string, username: string | null): PasswordAdvice {
  const { feedback } = estimate(password, username);
  const suggestion = feedback.suggestions.find((s) => s !== 'anotherWord') ?? feedback.suggestions[0] ?? 'anotherWord';
  return { warning: feedback.warning ?? 'none', suggestion };
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
