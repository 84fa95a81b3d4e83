-- AlterTable
ALTER TABLE "Charge" ADD COLUMN     "creditedCardId" TEXT,
ADD COLUMN     "heldReason" TEXT,
ADD COLUMN     "paidAt" TIMESTAMP(3),
ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedBy" TEXT;

-- CreateTable
CREATE TABLE "Payout" (
    "id" TEXT NOT NULL,
    "chargeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "cardAmount" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "entryId" TEXT,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "failReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "Payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageRefund" (
    "id" TEXT NOT NULL,
    "usageId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "cardId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageRefund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Payout_requestId_key" ON "Payout"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_entryId_key" ON "Payout"("entryId");

-- CreateIndex
CREATE INDEX "Payout_chargeId_idx" ON "Payout"("chargeId");

-- CreateIndex
CREATE UNIQUE INDEX "UsageRefund_requestId_key" ON "UsageRefund"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "UsageRefund_entryId_key" ON "UsageRefund"("entryId");

-- CreateIndex
CREATE INDEX "UsageRefund_usageId_idx" ON "UsageRefund"("usageId");

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_creditedCardId_fkey" FOREIGN KEY ("creditedCardId") REFERENCES "Card"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_chargeId_fkey" FOREIGN KEY ("chargeId") REFERENCES "Charge"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageRefund" ADD CONSTRAINT "UsageRefund_usageId_fkey" FOREIGN KEY ("usageId") REFERENCES "CardUsage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageRefund" ADD CONSTRAINT "UsageRefund_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "Card"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageRefund" ADD CONSTRAINT "UsageRefund_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Below: what Prisma's schema language cannot express (not compared by the schema-agreement test;
-- test/services/support-money/*.test.ts try to violate each).

-- A completed charge always has its ledger entry; a held payment says why and when it came.
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_completed_has_entry_check" CHECK ("status" <> 'completed' OR "entryId" IS NOT NULL);
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_held_has_reason_check" CHECK ("status" <> 'held' OR ("heldReason" IS NOT NULL AND "paidAt" IS NOT NULL));

-- Payouts and refunds move a positive amount; a reversal takes something from the card.
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_amount_check" CHECK ("amount" > 0 AND "cardAmount" >= 0 AND ("kind" <> 'reversal' OR "cardAmount" > 0));
ALTER TABLE "UsageRefund" ADD CONSTRAINT "UsageRefund_amount_check" CHECK ("amount" > 0);
