import type { Logger } from '../../../lib/logger.js';

/**
 * What the desk needs from the app. The support services satisfy these shapes as they are (the app
 * hands them over in src/app/desk-ports.ts); only what the desk reads is declared here, so a channel
 * never imports a service.
 */

/** The person at the desk and the Slack request they sent. */
export interface DeskActor {
  userId: string;
  name: string;
  requestId: string;
}

/** Which field a look-up searched. */
export type SearchField = 'username' | 'email' | 'last4';

/** A card as the desk shows it (last 4 only). */
export interface DeskCard {
  id: string;
  last4: string;
  currency: string;
  status: string;
  frozenBy: string | null;
  pinLocked: boolean;
  balances: { currency: string; amount: bigint }[];
  can: { resetPinLock: boolean; freeze: boolean; unfreeze: boolean };
}

/** A recent movement, with what may still be refunded or reversed. */
export interface DeskMovement {
  id: string;
  at: Date;
  kind: string;
  memo: string | null;
  last4: string;
  amount: bigint;
  currency: string;
  refund?: { usageId: string; left: bigint };
  reverse?: { chargeId: string; max: bigint };
}

/** A cardholder's page. */
export interface DeskMember {
  id: string;
  username: string;
  fullName: string;
  email: string;
  status: string;
  language: string;
  loginLockedUntil: Date | null;
  failedLogins: number;
  createdAt: Date;
  activatedAt: Date | null;
  cards: DeskCard[];
  movements: DeskMovement[];
  moreMovements: number;
  can: { unlockLogin: boolean; resendActivation: boolean };
}

/** A look-up's answer. */
export type DeskFind =
  | { kind: 'none'; field: SearchField; query: string }
  | { kind: 'many'; field: SearchField; query: string; matches: { memberId: string; username: string; fullName: string; status: string; last4s: string[] }[]; more: number }
  | { kind: 'one'; field: SearchField; query: string; member: DeskMember };

/** Actions that act at once. */
export type DeskActionKind = 'unlock-login' | 'reset-pin-lock' | 'resend-activation' | 'freeze' | 'unfreeze';

/** What an action did. */
export type DeskActionResult =
  | { outcome: 'done' | 'unchanged'; memberId: string | null; last4?: string }
  | { outcome: 'repeated'; memberId: string | null }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; memberId: string | null; why: string };

/** Requests that wait for a second support user. */
export type DeskMoneyKind = 'refund' | 'reversal';

/** The purchase, withdrawal or charge a request concerns. */
export interface DeskSubject {
  kind: string;
  label: string | null;
  at: Date;
  original: bigint;
}

/** What the refund / reversal modal shows. */
export interface DeskMoneyForm {
  kind: DeskMoneyKind;
  targetId: string;
  username: string;
  last4: string;
  currency: string;
  subject: DeskSubject;
  left: bigint;
  balance?: bigint;
  max: bigint;
}

/** A request waiting for (or past) its decision. */
export interface DeskApproval {
  id: string;
  kind: DeskMoneyKind;
  status: string;
  memberId: string;
  username: string;
  last4: string;
  subject: DeskSubject;
  amount: bigint;
  currency: string;
  reason: string;
  requestedBy: string;
  requestedByName: string;
  decidedBy: string | null;
  decidedByName: string | null;
  outcome: string | null;
  outcomeNote: string | null;
  expiresAt: Date;
  channel: string | null;
  messageTs: string | null;
}

/** What pressing Approve / Reject did. */
export type DeskDecision =
  | { outcome: 'approved' | 'failed' | 'not-covered'; request: DeskApproval; note: string }
  | { outcome: 'rejected' | 'expired' | 'already' | 'own-request' | 'no-second-person' | 'not-approver'; request: DeskApproval }
  | { outcome: 'not-found' };

/** A history export. */
export type DeskHistory =
  | { ok: true; username: string; from: string; to: string; count: number; zones: { member: string; operator: string }; totals: { currency: string; in: bigint; out: bigint }[]; file: { name: string; content: Buffer } }
  | { ok: false; code: string; vars: Record<string, string> };

/** An FX rate. */
export interface DeskRate {
  base: string;
  quote: string;
  rate: string;
  spreadBps: number;
  feeBps: number;
  setBy: string;
  setAt: Date;
  stale: boolean;
}

/** One audit row. */
export interface DeskAuditRow {
  at: Date;
  actor: string;
  actorName: string | null;
  action: string;
  target: string | null;
  username: string | null;
  details: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** What the desk needs from the app (services satisfy it structurally). */
export interface DeskPorts {
  log: Logger;
  settings: {
    /** SLACK_SUPPORT_USERS. */
    supportUsers: readonly string[];
    /** SLACK_ADMIN_USERS (support too). */
    adminUsers: readonly string[];
    /** SLACK_SUPPORT_CHANNEL: where requests wait for approval. */
    supportChannel: string | undefined;
    /** OPERATOR_TIMEZONE: dates are shown and typed in it. */
    timeZone: string;
  };
  lookup: {
    find(query: string): Promise<DeskFind>;
    member(memberId: string): Promise<DeskMember | null>;
    byUsername(username: string): Promise<{ id: string; username: string } | null>;
    cardOwner(cardId: string): Promise<{ memberId: string; username: string; last4: string } | null>;
  };
  actions: {
    run(actor: DeskActor, kind: DeskActionKind, targetId: string, reason?: string): Promise<DeskActionResult>;
    refused(actor: DeskActor, what: string, why: string): Promise<void>;
  };
  approvals: {
    readonly canApprove: boolean;
    form(kind: DeskMoneyKind, targetId: string): Promise<DeskMoneyForm | null>;
    request(actor: DeskActor, input: { kind: DeskMoneyKind; targetId: string; amountText: string; reason: string }): Promise<{ ok: true; request: DeskApproval; repeated: boolean } | { ok: false; field: 'amount' | 'reason' | null; code: string; message: string }>;
    decide(actor: DeskActor, requestId: string, decision: 'approve' | 'reject'): Promise<DeskDecision>;
    setMessage(requestId: string, channel: string, ts: string): Promise<void>;
    get(requestId: string): Promise<DeskApproval | null>;
    settleApproved(graceMs?: number): Promise<number>;
  };
  reports: {
    checkPeriod(fromText: string, toText: string): { ok: true; from: string; to: string } | { ok: false; code: string; vars: Record<string, string> };
    history(actor: DeskActor, member: { id: string; username: string }, fromText: string, toText: string): Promise<DeskHistory>;
    rates(): Promise<DeskRate[]>;
    setRate(actor: DeskActor, from: string, to: string, rate: string): Promise<{ ok: true; rate: DeskRate; before: DeskRate | null } | { ok: false; code: string; message: string }>;
    auditLog(memberId?: string): Promise<{ rows: DeskAuditRow[]; more: boolean }>;
    audited(actor: DeskActor, e: { action: string; target?: string; memberId?: string; details?: Record<string, string | number | boolean | null> }): Promise<void>;
  };
}
