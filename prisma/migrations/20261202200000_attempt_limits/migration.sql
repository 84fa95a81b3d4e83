-- CreateTable
CREATE TABLE "AttemptLimit" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AttemptLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AttemptLimit_updatedAt_idx" ON "AttemptLimit"("updatedAt");
