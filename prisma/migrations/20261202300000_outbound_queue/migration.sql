-- CreateTable
CREATE TABLE "OutboundEntry" (
    "chatKey" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "data" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboundEntry_pkey" PRIMARY KEY ("chatKey","id")
);

-- CreateIndex
CREATE INDEX "OutboundEntry_chatKey_seq_idx" ON "OutboundEntry"("chatKey", "seq");

-- CreateIndex
CREATE INDEX "OutboundEntry_notBefore_idx" ON "OutboundEntry"("notBefore");
