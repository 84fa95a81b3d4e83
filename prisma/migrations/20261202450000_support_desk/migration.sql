-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "actorName" TEXT,
ADD COLUMN     "after" JSONB,
ADD COLUMN     "before" JSONB,
ADD COLUMN     "memberId" TEXT,
ADD COLUMN     "requestId" TEXT;

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "cardId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedByName" TEXT NOT NULL,
    "requestKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedBy" TEXT,
    "decidedByName" TEXT,
    "decidedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "outcomeNote" TEXT,
    "executedAt" TIMESTAMP(3),
    "channel" TEXT,
    "messageTs" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRequest_requestKey_key" ON "ApprovalRequest"("requestKey");

-- CreateIndex
CREATE INDEX "ApprovalRequest_status_expiresAt_idx" ON "ApprovalRequest"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_memberId_createdAt_idx" ON "ApprovalRequest"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditLog_requestId_key" ON "AuditLog"("requestId");

-- CreateIndex
CREATE INDEX "AuditLog_memberId_createdAt_idx" ON "AuditLog"("memberId", "createdAt");

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "Card"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Below: what Prisma's schema language cannot express (not compared by the schema-agreement test;
-- test/services/support/desk-constraints.test.ts tries to break each one).

-- The audit log is append-only: rows are never changed or removed, whoever holds the connection.
CREATE FUNCTION "support_rows_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION "support_rows_kept"();
CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog" FOR EACH STATEMENT EXECUTE FUNCTION "support_rows_kept"();

-- What an approval request may hold.
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_kind_check" CHECK ("kind" IN ('refund', 'reversal'));
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_amount_check" CHECK ("amount" > 0);
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_reason_check" CHECK (btrim("reason") <> '');
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_status_check" CHECK ("status" IN ('pending', 'approved', 'rejected', 'expired'));
-- Decided exactly when no longer pending; a person approves or rejects, and never the one who asked.
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_decision_check" CHECK (
  ("status" = 'pending') = ("decidedAt" IS NULL)
  AND ("status" NOT IN ('approved', 'rejected') OR "decidedBy" IS NOT NULL)
  AND ("decidedBy" IS NULL OR "decidedBy" <> "requestedBy")
);
-- Only an approved request is carried out, and its outcome comes with the time it was reached.
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_outcome_check" CHECK (
  ("outcome" IS NULL OR ("status" = 'approved' AND "outcome" IN ('done', 'failed')))
  AND (("outcome" IS NULL) = ("executedAt" IS NULL))
);

-- One decision: a decided request never changes its decision, an outcome once set never changes,
-- what was asked never changes, and requests are never removed. Where its Slack message is may be
-- filled in later.
CREATE FUNCTION "approval_request_one_decision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'approval requests are kept: DELETE refused' USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD."status" <> 'pending'
     AND ROW(NEW."status", NEW."decidedBy", NEW."decidedByName", NEW."decidedAt") IS DISTINCT FROM ROW(OLD."status", OLD."decidedBy", OLD."decidedByName", OLD."decidedAt") THEN
    RAISE EXCEPTION 'approval request % is already %: one decision only', OLD."id", OLD."status" USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD."outcome" IS NOT NULL
     AND ROW(NEW."outcome", NEW."outcomeNote", NEW."executedAt") IS DISTINCT FROM ROW(OLD."outcome", OLD."outcomeNote", OLD."executedAt") THEN
    RAISE EXCEPTION 'approval request % was carried out already (%)', OLD."id", OLD."outcome" USING ERRCODE = 'restrict_violation';
  END IF;
  IF ROW(NEW."id", NEW."kind", NEW."targetId", NEW."memberId", NEW."cardId", NEW."amount", NEW."currency", NEW."reason", NEW."requestedBy", NEW."requestedByName", NEW."requestKey", NEW."expiresAt", NEW."createdAt")
     IS DISTINCT FROM ROW(OLD."id", OLD."kind", OLD."targetId", OLD."memberId", OLD."cardId", OLD."amount", OLD."currency", OLD."reason", OLD."requestedBy", OLD."requestedByName", OLD."requestKey", OLD."expiresAt", OLD."createdAt") THEN
    RAISE EXCEPTION 'approval request %: what was asked never changes', OLD."id" USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "ApprovalRequest_one_decision" BEFORE UPDATE OR DELETE ON "ApprovalRequest" FOR EACH ROW EXECUTE FUNCTION "approval_request_one_decision"();
CREATE TRIGGER "ApprovalRequest_no_truncate" BEFORE TRUNCATE ON "ApprovalRequest" FOR EACH STATEMENT EXECUTE FUNCTION "support_rows_kept"();
