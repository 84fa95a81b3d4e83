import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The header carrying a webhook's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * (Stripe's scheme). Several `v1=` may be given (key rotation); one must match.
 */
export const SIGNATURE_HEADER = 'x-omnipay-signature';

/** How far a signature's timestamp may be from now, either way: older deliveries are refused (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function mac(secret: string, t: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** The signature header value for a body sent at `at`: `t=<unix seconds>,v1=<hex>`. */
export function sign(secret: string, body: Buffer | string, at: Date): string {
  const t = String(Math.floor(at.getTime() / 1000));
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/**
 * Checks a signature header against the raw body in constant time, and its timestamp against `now`
 * (± {@link SIGNATURE_TOLERANCE_SECONDS}). A header without a timestamp is refused.
 */
export function verifySignature(secret: string, body: Buffer, header: string | string[] | undefined, now: Date): boolean {
  if (typeof header !== 'string') return false;
  let t: string | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && t === undefined) t = v;
    else if (k === 'v1' && v) candidates.push(v);
  }
  if (!t || !/^\d{1,12}$/.test(t) || !candidates.length) return false;
  if (Math.abs(now.getTime() / 1000 - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const want = Buffer.from(mac(secret, t, body));
  return candidates.some((c) => {
    const got = Buffer.from(c);
    return got.length === want.length && timingSafeEqual(got, want);
  });
}
