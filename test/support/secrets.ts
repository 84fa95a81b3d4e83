/**
 * A short numeric secret (a 4-digit PIN, a 6-digit code) as a standalone token: not inside a longer
 * run of digits, letters, dashes or underscores. A plain substring search finds a PIN inside log
 * timestamps and ids (`"time":1796308334050` holds 3405), so a leak check by `includes` fails at
 * random; this one finds the secret wherever it stands on its own (`"pin":"3405"`, `PIN 3405.`).
 */
export function standalone(secret: string): RegExp {
  return new RegExp(`(?<![0-9A-Za-z_-])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z_-])`);
}
