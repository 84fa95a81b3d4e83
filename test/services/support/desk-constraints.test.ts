import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/infra/db/database.js';
import { newId } from '../../../src/lib/ids.js';
import { memberWithCards } from '../../support/cards.js';
import { testDatabase, type DbKind } from '../../support/db.js';

/** Runs raw SQL as one transaction on one connection; the database's refusal, or null when it committed. */
async function refusal(db: Database, sql: string): Promise<string | null> {
  return db.withConnection(async (raw) => {
    try {
      await raw.exec(`BEGIN;\n${sql};\nCOMMIT;`);
      return null;
    } catch (err) {
      await raw.exec('ROLLBACK').catch(() => undefined);
      return (err as Error).message;
    }
  });
}

for (const kind of ['pglite', 'postgres'] as DbKind[]) {
  describe(`support desk rules enforced by the ${kind} database itself`, () => {
    let db: Database;
    let memberId: string;
    let cardId: string;
    beforeAll(async () => {
      db = await testDatabase(kind);
      const m = await memberWithCards(db);
      memberId = m.memberId;
      cardId = m.cardIds[0]!;
    });
    afterAll(async () => {
      await db?.close();
    });

    /** Inserts a pending request asked by U0SAM and returns its id. */
    const pending = async (o: { status?: string; decidedBy?: string | null } = {}) => {
      const id = newId();
      await db.raw.query(
        `INSERT INTO "ApprovalRequest" (id, kind, "targetId", "memberId", "cardId", amount, currency, reason, "requestedBy", "requestedByName", "requestKey", status, "decidedBy", "decidedAt", "expiresAt")
         VALUES ($1, 'refund', 'usage-1', $2, $3, 500, 'JPY', 'why', 'U0SAM', 'sam', $4, $5, $6, $7, now() + interval '1 day')`,
        [id, memberId, cardId, `view:${id}`, o.status ?? 'pending', o.decidedBy ?? null, o.status && o.status !== 'pending' ? new Date() : null],
      );
      return id;
    };

    it('the audit log refuses UPDATE, DELETE and TRUNCATE, whoever holds the connection', async () => {
      const id = newId();
      await db.prisma.auditLog.create({ data: { id, actor: 'slack:U0SAM', action: 'card.freeze', requestId: `action:${id}` } });
      expect(await refusal(db, `UPDATE "AuditLog" SET actor = 'someone else' WHERE id = '${id}'`)).toContain('AuditLog is append-only: UPDATE refused');
      expect(await refusal(db, `DELETE FROM "AuditLog" WHERE id = '${id}'`)).toContain('AuditLog is append-only: DELETE refused');
      expect(await refusal(db, 'TRUNCATE "AuditLog"')).toContain('AuditLog is append-only: TRUNCATE refused');
      await expect(db.prisma.auditLog.update({ where: { id }, data: { action: 'nothing' } })).rejects.toThrow(/append-only/);
      expect(await db.prisma.auditLog.findUnique({ where: { id } })).toMatchObject({ actor: 'slack:U0SAM', action: 'card.freeze' });
    });

    it('one audit row a request id: a second row with the same request id is refused', async () => {
      const requestId = `action:${newId()}`;
      await db.prisma.auditLog.create({ data: { id: newId(), actor: 'slack:U0SAM', action: 'card.freeze', requestId } });
      await expect(db.prisma.auditLog.create({ data: { id: newId(), actor: 'slack:U0SAM', action: 'card.freeze', requestId } })).rejects.toMatchObject({ code: 'P2002' });
    });

    it('a request cannot be decided by the person who asked, even by writing the row directly', async () => {
      const id = await pending();
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'approved', "decidedBy" = 'U0SAM', "decidedAt" = now() WHERE id = '${id}'`)).toContain('ApprovalRequest_decision_check');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'rejected', "decidedBy" = 'U0SAM', "decidedAt" = now() WHERE id = '${id}'`)).toContain('ApprovalRequest_decision_check');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'approved', "decidedAt" = now() WHERE id = '${id}'`)).toContain('ApprovalRequest_decision_check');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'approved', "decidedBy" = 'U0KIM' WHERE id = '${id}'`)).toContain('ApprovalRequest_decision_check');
      expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe('pending');
    });

    it('one decision: pending becomes approved, rejected or expired once, and never changes after', async () => {
      const id = await pending();
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'approved', "decidedBy" = 'U0KIM', "decidedByName" = 'kim', "decidedAt" = now() WHERE id = '${id}'`)).toBeNull();
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'rejected', "decidedBy" = 'U0LEE', "decidedAt" = now() WHERE id = '${id}'`)).toContain('is already approved: one decision only');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET "decidedBy" = 'U0LEE' WHERE id = '${id}'`)).toContain('one decision only');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'pending', "decidedBy" = NULL, "decidedAt" = NULL WHERE id = '${id}'`)).toContain('one decision only');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'settled' WHERE id = '${id}'`)).toMatch(/ApprovalRequest_status_check|one decision only/);
      const expired = await pending();
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'expired', "decidedAt" = now() WHERE id = '${expired}'`)).toBeNull();
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET status = 'approved', "decidedBy" = 'U0KIM', "decidedAt" = now() WHERE id = '${expired}'`)).toContain('is already expired');
    });

    it('an outcome only for an approved request, set once; what was asked never changes; requests are never removed', async () => {
      const id = await pending();
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET outcome = 'done', "executedAt" = now() WHERE id = '${id}'`)).toContain('ApprovalRequest_outcome_check');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET amount = 50000 WHERE id = '${id}'`)).toContain('what was asked never changes');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET "requestedBy" = 'U0KIM' WHERE id = '${id}'`)).toContain('what was asked never changes');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET "messageTs" = '1700000000.000100', channel = 'C0SUPPORT' WHERE id = '${id}'`)).toBeNull();
      const approved = await pending({ status: 'approved', decidedBy: 'U0KIM' });
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET outcome = 'done' WHERE id = '${approved}'`)).toContain('ApprovalRequest_outcome_check');
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET outcome = 'done', "outcomeNote" = 'ok', "executedAt" = now() WHERE id = '${approved}'`)).toBeNull();
      expect(await refusal(db, `UPDATE "ApprovalRequest" SET outcome = 'failed', "outcomeNote" = 'again', "executedAt" = now() WHERE id = '${approved}'`)).toContain('was carried out already (done)');
      expect(await refusal(db, `DELETE FROM "ApprovalRequest" WHERE id = '${id}'`)).toContain('approval requests are kept: DELETE refused');
      expect(await refusal(db, 'TRUNCATE "ApprovalRequest"')).toContain('ApprovalRequest is append-only: TRUNCATE refused');
    });

    it('a request moves a positive amount, of a known kind, with a reason', async () => {
      const base = `INSERT INTO "ApprovalRequest" (id, kind, "targetId", "memberId", "cardId", amount, currency, reason, "requestedBy", "requestedByName", "requestKey", "expiresAt")`;
      const row = (o: { kind?: string; amount?: string; reason?: string }) => `${base} VALUES ('${newId()}', '${o.kind ?? 'refund'}', 't', '${memberId}', '${cardId}', ${o.amount ?? '1'}, 'JPY', '${o.reason ?? 'why'}', 'U0SAM', 'sam', '${newId()}', now())`;
      expect(await refusal(db, row({ amount: '0' }))).toContain('ApprovalRequest_amount_check');
      expect(await refusal(db, row({ amount: '-5' }))).toContain('ApprovalRequest_amount_check');
      expect(await refusal(db, row({ kind: 'gift' }))).toContain('ApprovalRequest_kind_check');
      expect(await refusal(db, row({ reason: '   ' }))).toContain('ApprovalRequest_reason_check');
      expect(await refusal(db, row({}))).toBeNull();
    });
  });
}
