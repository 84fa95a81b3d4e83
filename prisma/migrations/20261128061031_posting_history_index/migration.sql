-- DropIndex
DROP INDEX "Posting_accountId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Posting_accountId_createdAt_amount_currency_idx" ON "Posting"("accountId", "createdAt", "amount", "currency");
