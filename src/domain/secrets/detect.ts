/**
 * Does a message a person wants to send to a human look like a secret? Used where chat text leaves
 * the bot for people (the support hand-off): a card number, a PIN, an e-mailed code or a password
 * is never passed on, whoever asks for it. Pure, and deliberately cautious: a false alarm costs the
 * cardholder a rephrase, a miss puts a secret in a Slack thread.
 */

/** What a message seems to hold. */
export type SecretKind = 'card-number' | 'pin' | 'code' | 'password';

/** A run of 13–19 digits, single spaces or dashes between them allowed (how card numbers are typed). */
const CARD_NUMBER = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/;
/** "my PIN is 4821", "password: hunter2", "暗証番号は1234": a secret announced, then given. */
const ANNOUNCED = /\b(password|passcode|passwd|pwd|pw|pin|code|otp)\b\s*(?:is|was|=|:|：)\s*(\S+)|(パスワード|暗証番号|コード|認証コード|確認コード)\s*(?:は|：|:|=)\s*(\S+)/i;
/** References people may quote to support (charges, tickets) and look random on purpose. */
const REFERENCE = /^(?:CH|SUP)-[A-Z0-9]+$/i;

/** The kind of secret `text` seems to hold, or null when it looks safe to pass on. */
export function secretIn(text: string): SecretKind | null {
  const t = text.normalize('NFKC').trim();
  if (!t) return null;
  if (CARD_NUMBER.test(t)) return 'card-number';
  const announced = ANNOUNCED.exec(t);
  if (announced) {
    const kind = kindOfWord((announced[1] ?? announced[3] ?? '').toLowerCase());
    // "my PIN is locked", "the password is wrong": the word, not the secret.
    if (looksGiven(kind, (announced[2] ?? announced[4] ?? '').replace(/[.,!?。、！？]+$/, ''))) return kind;
  }
  // A message that is only a number: four digits are a PIN's shape, longer ones an e-mailed code's.
  const digits = t.replace(/[\s-]/g, '');
  if (/^\d+$/.test(digits) && digits.length >= 4) return digits.length <= 6 ? 'pin' : 'code';
  if (looksLikePassword(t)) return 'password';
  return null;
}

/** One word of 8+ characters mixing three of lower case, upper case, digits and symbols. */
function looksLikePassword(t: string): boolean {
  if (!/^\S{8,128}$/.test(t) || REFERENCE.test(t)) return false;
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t) || /^https?:\/\//i.test(t)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(t)).length;
  return classes >= 3;
}

/** Is the word after "PIN is" the secret itself? PINs and codes have digits; passwords more than plain letters. */
function looksGiven(kind: SecretKind, value: string): boolean {
  if (kind === 'pin' || kind === 'code') return /\d{3,}/.test(value);
  return /\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value.slice(1))) || /\w[^\w\s]+\w/.test(value);
}

function kindOfWord(word: string): SecretKind {
  if (word === 'pin' || word === '暗証番号') return 'pin';
  if (word === 'code' || word === 'otp' || word.includes('コード')) return 'code';
  return 'password';
}
