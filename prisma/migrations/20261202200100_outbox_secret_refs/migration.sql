-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "lang" TEXT,
ADD COLUMN     "secretRef" JSONB,
ADD COLUMN     "vars" JSONB;
