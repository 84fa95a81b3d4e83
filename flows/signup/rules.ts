/**
 * Pure input rules of the onboarding flows (username, e-mail, full name, codes). No I/O: the flows
 * run these in the turn; uniqueness and passwords are checked by services.
 */

/** Why a typed username was refused. */
export type UsernameProblem = 'empty' | 'email' | 'length' | 'chars';

const USERNAME = /^[A-Za-z0-9_.]{3,32}$/;

/** Checks a username's form; null when acceptable. */
export function usernameProblem(text: string): UsernameProblem | null {
  const t = text.trim();
  if (t === '') return 'empty';
  if (t.includes('@')) return 'email';
  if (USERNAME.test(t)) return null;
  if (/^[A-Za-z0-9_.]*$/.test(t)) return 'length';
  return 'chars';
}

/** The key usernames and e-mails are unique by (case does not matter). */
export function caseKey(text: string): string {
  return text.trim().toLowerCase();
}

/** Why a typed e-mail address was refused. */
export type EmailProblem = 'empty' | 'invalid';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Checks an e-mail address's form (one address, ASCII domain, at most 254 characters); null when acceptable. */
export function emailProblem(text: string): EmailProblem | null {
  const t = text.trim();
  if (t === '') return 'empty';
  if (t.length > 254 || !EMAIL.test(t)) return 'invalid';
  return null;
}

/** Does this look like an e-mail address (the log-in prompt explains usernames are not e-mails)? */
export function looksLikeEmail(text: string): boolean {
  return text.includes('@');
}

/** Why a typed full name was refused. */
export type NameProblem = 'empty' | 'length' | 'chars';

// Letters and marks of any script, spaces, and the punctuation names really use.
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '\-.・]*$/u;

/** Checks a full name (1–100 characters of letters, spaces, ' - . ・); null when acceptable. */
export function nameProblem(text: string): NameProblem | null {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '') return 'empty';
  if ([...t].length > 100) return 'length';
  return NAME.test(t) ? null : 'chars';
}

/** A full name as stored: trimmed, inner runs of spaces collapsed. */
export function normaliseName(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** Number of digits in an e-mailed code. */
export const CODE_DIGITS = 8;

/**
 * A pasted code as digits only: spaces, dashes and full-width digits are forgiven; anything else
 * makes it unreadable (null). People paste codes with spaces around them or split in groups.
 */
export function normaliseCode(text: string): string | null {
  const t = text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-‐－]/g, '');
  return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(t) ? t : null;
}
