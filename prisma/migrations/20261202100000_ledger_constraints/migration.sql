-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_reversesId_key" ON "JournalEntry"("reversesId");

-- CreateIndex
CREATE UNIQUE INDEX "Charge_entryId_key" ON "Charge"("entryId");

-- CreateIndex
CREATE UNIQUE INDEX "CardUsage_entryId_key" ON "CardUsage"("entryId");

-- AddForeignKey
ALTER TABLE "Quote" ADD CONSTRAINT "Quote_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quote" ADD CONSTRAINT "Quote_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "Card"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quote" ADD CONSTRAINT "Quote_rateId_fkey" FOREIGN KEY ("rateId") REFERENCES "FxRate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_quoteId_fkey" FOREIGN KEY ("quoteId") REFERENCES "Quote"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "Card"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardUsage" ADD CONSTRAINT "CardUsage_cardId_fkey" FOREIGN KEY ("cardId") REFERENCES "Card"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardUsage" ADD CONSTRAINT "CardUsage_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Below: what Prisma's schema language cannot express. The schema-agreement test does not compare
-- these objects; test/services/money/ledger-constraints.test.ts proves each one refuses.

-- A completion marks its charge with the entry id before posting the entry (one statement wins the
-- charge and reads it), so this key is checked at commit.
ALTER TABLE "Charge" ALTER CONSTRAINT "Charge_entryId_fkey" DEFERRABLE INITIALLY DEFERRED;

-- What the operator owes a cardholder is never negative; operator accounts (funding, fx, fee,
-- settlement) go negative by design.
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_card_balance_check" CHECK ("kind" <> 'card' OR "balance" >= 0);

-- Every entry balances in each currency, checked at commit so its legs may be written by several
-- statements of one transaction.
CREATE FUNCTION "ledger_entry_balances"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad RECORD;
BEGIN
  SELECT p.currency, SUM(p.amount) AS total INTO bad
    FROM "Posting" p WHERE p."entryId" = NEW."entryId"
   GROUP BY p.currency HAVING SUM(p.amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger entry % does not balance: its % postings sum to %', NEW."entryId", bad.currency, bad.total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER "Posting_entry_balances" AFTER INSERT ON "Posting"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_entry_balances"();

-- Posted entries and their postings are never changed: corrections are new entries.
CREATE FUNCTION "ledger_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable: % refused (post a correcting entry instead)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER "JournalEntry_immutable" BEFORE UPDATE OR DELETE ON "JournalEntry" FOR EACH ROW EXECUTE FUNCTION "ledger_immutable"();
CREATE TRIGGER "JournalEntry_no_truncate" BEFORE TRUNCATE ON "JournalEntry" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_immutable"();
CREATE TRIGGER "Posting_immutable" BEFORE UPDATE OR DELETE ON "Posting" FOR EACH ROW EXECUTE FUNCTION "ledger_immutable"();
CREATE TRIGGER "Posting_no_truncate" BEFORE TRUNCATE ON "Posting" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_immutable"();
