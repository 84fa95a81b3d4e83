import type { Tx } from '../infra/db/database.js';
import { newId } from '../lib/ids.js';

/** Writes one line of the audit log (who did what to what). Never put secrets in `details`. */
export async function audit(tx: Tx, entry: { actor: string; action: string; target?: string; details?: Record<string, string | number | boolean | null> }): Promise<void> {
  await tx.auditLog.create({ data: { id: newId(), actor: entry.actor, action: entry.action, target: entry.target ?? null, details: entry.details ?? {} } });
}
