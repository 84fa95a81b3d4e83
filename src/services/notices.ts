import type { Tx } from '../infra/db/database.js';
import { newId } from '../lib/ids.js';

/**
 * Queues a message for a member's chat (charge completed, card usage, support reply). Written in the
 * same transaction as its cause; the notice dispatcher delivers it through the chat's channel, even
 * if the chat has moved on or the process restarts. `key` is a catalogue message id; `signal` also
 * tells the flow the chat is in then (e.g. `support-closed`); an `id` of the caller's makes writing
 * the same notice twice fail on the primary key (idempotent causes such as a redelivered event).
 */
export async function queueNotice(tx: Tx, notice: { id?: string; memberId?: string; chatKey?: string; key: string; vars?: Record<string, string | number>; endSession?: boolean; signal?: string }): Promise<string> {
  const id = notice.id ?? newId();
  await tx.chatNotice.create({ data: { id, memberId: notice.memberId ?? null, chatKey: notice.chatKey ?? null, key: notice.key, vars: notice.vars ?? {}, endSession: notice.endSession ?? false, signal: notice.signal ?? null } });
  return id;
}
