import type { Tx } from '../infra/db/database.js';
import { newId } from '../lib/ids.js';

/** Plain values an audit row may hold (never a secret: no PIN, password, code, token or card number). */
export type AuditValues = Record<string, string | number | boolean | null>;

/** One line of the audit log: who did what to what. */
export interface AuditEntry {
  actor: string;
  /** The person's name where the actor is a person elsewhere (a Slack user's name). */
  actorName?: string;
  action: string;
  target?: string;
  /** The cardholder the action concerned. */
  memberId?: string;
  details?: AuditValues;
  before?: AuditValues;
  after?: AuditValues;
  /** The request that caused it: the database keeps one row a request (see {@link RepeatedRequestError}). */
  requestId?: string;
}

/** The audit row of this request id was written before: the request is a repeat and must not act again. */
export class RepeatedRequestError extends Error {
  readonly code = 'AUDIT.REPEATED_REQUEST';
  constructor(readonly requestId: string) {
    super(`request ${requestId} was handled before`);
  }
}

/**
 * Writes one line of the audit log (append-only: the database refuses to change or remove it).
 * With a `requestId` it is also the request's idempotency record: a second row for the same id
 * throws {@link RepeatedRequestError}, so the caller's transaction, and whatever it changed, rolls back.
 */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  try {
    await tx.auditLog.create({
      data: {
        id: newId(),
        actor: entry.actor,
        actorName: entry.actorName ?? null,
        action: entry.action,
        target: entry.target ?? null,
        memberId: entry.memberId ?? null,
        details: entry.details ?? {},
        ...(entry.before ? { before: entry.before } : {}),
        ...(entry.after ? { after: entry.after } : {}),
        requestId: entry.requestId ?? null,
      },
    });
  } catch (err) {
    // The row id is a fresh UUID, so a unique violation here can only be the request id.
    if (entry.requestId !== undefined && (err as { code?: string }).code === 'P2002') throw new RepeatedRequestError(entry.requestId);
    throw err;
  }
}
