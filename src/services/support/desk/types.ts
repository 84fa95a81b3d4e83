/**
 * What the support desk's services take and give: plain data (no Prisma rows), so the Slack desk
 * can declare the same shapes in its own ports and the app hands these services over as they are.
 */

/** The person at the desk and the request they sent (a Slack interaction). */
export interface DeskActor {
  /** Their Slack user id. */
  userId: string;
  /** Their Slack name, kept in the audit log next to the id. */
  name: string;
  /** The Slack request that asked: one audit row a request, so a repeat acts once. */
  requestId: string;
}

/** The audit log's actor for a Slack user (`slack:U0123`). */
export function slackActor(userId: string): string {
  return `slack:${userId}`;
}

/** What a look-up searched: decided by the form of the text. */
export type SearchField = 'username' | 'email' | 'last4';

/** One candidate of a look-up that matched several cardholders. */
export interface MemberMatch {
  memberId: string;
  username: string;
  fullName: string;
  status: string;
  /** Last 4 digits of their cards. */
  last4s: string[];
}

/** A card as the desk shows it: last 4 only, state, PIN lock, balances, what applies now. */
export interface CardDetail {
  id: string;
  last4: string;
  currency: string;
  status: string;
  frozenBy: string | null;
  pinLocked: boolean;
  balances: { currency: string; amount: bigint }[];
  can: { resetPinLock: boolean; freeze: boolean; unfreeze: boolean };
}

/** A recent movement on a member's card: a ledger posting and what it came from. */
export interface Movement {
  /** The posting's id. */
  id: string;
  at: Date;
  /** The ledger entry's kind: charge, purchase, atm, refund, reversal, replacement … */
  kind: string;
  memo: string | null;
  last4: string;
  /** Signed minor units: positive credits the card. */
  amount: bigint;
  currency: string;
  /** A card purchase or ATM withdrawal that can still be refunded: its usage id and what is left. */
  refund?: { usageId: string; left: bigint };
  /** A completed charge that can still be reversed: its id and the most a reversal may take now. */
  reverse?: { chargeId: string; max: bigint };
}

/** A cardholder as the desk shows them. */
export interface MemberDetail {
  id: string;
  username: string;
  fullName: string;
  email: string;
  status: string;
  language: string;
  /** Locked out of logging in until then (null: not locked). */
  loginLockedUntil: Date | null;
  failedLogins: number;
  createdAt: Date;
  activatedAt: Date | null;
  cards: CardDetail[];
  movements: Movement[];
  /** Movements older than those shown. */
  moreMovements: number;
  can: { unlockLogin: boolean; resendActivation: boolean };
}

/** The answer to a look-up. */
export type FindResult =
  | { kind: 'none'; field: SearchField; query: string }
  | { kind: 'many'; field: SearchField; query: string; matches: MemberMatch[]; more: number }
  | { kind: 'one'; field: SearchField; query: string; member: MemberDetail };

/** The actions that change a member or card at once (after the modal, for unlocking ones). */
export type DeskActionKind = 'unlock-login' | 'reset-pin-lock' | 'resend-activation' | 'freeze' | 'unfreeze';

/** What an action did. */
export type ActionResult =
  | { outcome: 'done' | 'unchanged'; memberId: string | null; last4?: string }
  | { outcome: 'repeated'; memberId: string | null }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; memberId: string | null; why: string };

/** One row of the audit log as the desk lists it. */
export interface AuditView {
  at: Date;
  actor: string;
  actorName: string | null;
  action: string;
  target: string | null;
  memberId: string | null;
  /** The cardholder's username, when the row concerns one. */
  username: string | null;
  details: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}
