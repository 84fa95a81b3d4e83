import type { Tx } from '../infra/db/database.js';
import { newId } from '../lib/ids.js';

/** Kinds of events support must see. */
export type AlertKind = 'login-lockout' | 'pin-lock' | 'large-charge' | 'mail-undeliverable' | 'stale-rate' | 'captcha-abuse' | 'ledger-violation' | string;

/** Records an alert for support (shown in Slack later). Never put secrets in `details`. */
export async function raiseAlert(tx: Tx, alert: { kind: AlertKind; memberId?: string; cardId?: string; details?: Record<string, string | number | boolean | null> }): Promise<string> {
  const id = newId();
  await tx.alert.create({ data: { id, kind: alert.kind, memberId: alert.memberId ?? null, cardId: alert.cardId ?? null, details: alert.details ?? {} } });
  return id;
}
