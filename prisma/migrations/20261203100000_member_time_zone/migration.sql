-- A member's chosen time zone (IANA name) for history periods, times shown, notices and e-mails;
-- NULL means the operator's (OPERATOR_TIMEZONE).
ALTER TABLE "Member" ADD COLUMN "timeZone" TEXT;
