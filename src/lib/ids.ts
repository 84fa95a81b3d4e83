import { randomBytes, randomUUID } from 'node:crypto';

/** A new opaque id for database rows. */
export function newId(): string {
  return randomUUID();
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A short random token from an unambiguous alphabet (references, button screens). */
export function shortToken(length = 8): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
