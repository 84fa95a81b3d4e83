-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "slackQueuedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ChatNotice" ADD COLUMN     "signal" TEXT;

-- AlterTable
ALTER TABLE "SupportThread" ADD COLUMN     "closedBy" TEXT,
ADD COLUMN     "number" SERIAL NOT NULL,
ADD COLUMN     "remindedAt" TIMESTAMP(3),
ADD COLUMN     "slackChannel" TEXT,
ADD COLUMN     "summary" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "waitingSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SlackPost" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "ticketId" TEXT,
    "alertId" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "channel" TEXT,
    "ts" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "postedAt" TIMESTAMP(3),

    CONSTRAINT "SlackPost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SlackPost_alertId_key" ON "SlackPost"("alertId");

-- CreateIndex
CREATE INDEX "SlackPost_status_nextAttemptAt_idx" ON "SlackPost"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "SlackPost_ticketId_seq_idx" ON "SlackPost"("ticketId", "seq");

-- CreateIndex
CREATE INDEX "Alert_slackQueuedAt_createdAt_idx" ON "Alert"("slackQueuedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SupportThread_number_key" ON "SupportThread"("number");

-- CreateIndex
CREATE INDEX "SupportThread_slackTs_idx" ON "SupportThread"("slackTs");

-- CreateIndex
CREATE INDEX "SupportThread_status_waitingSince_idx" ON "SupportThread"("status", "waitingSince");
