import type { AnyStateMachine } from 'xstate';
import type { MenuItem } from './dashboard/menu.js';
import type { Lang, Session } from './shared/protocol.js';

/** One flow the root can run. */
export interface FlowEntry {
  id: string;
  machine: AnyStateMachine;
  /** Needs a logged-in member; a guest is sent to log in first and comes back here after. */
  requiresLogin: boolean;
  /** Only for guests (sign up, log in): a member is told they are already logged in. */
  guestOnly?: boolean;
  menu?: Omit<MenuItem, 'flow'>;
  /** `/start <prefix><arg>` deep links start this flow with `arg`. */
  deepLinkPrefix?: string;
  /**
   * Commands of this flow (`/end` of the support hand-off): sent to it while it runs; anywhere else
   * they start it, with the command's name as `arg`.
   */
  commands?: string[];
  /** A button with this label on the Help message (shown from the dashboard) starts the flow. */
  helpLabel?: string;
}

/** What the engine gives the root when a chat starts. */
export interface RootInput {
  chatKey: string;
  lang: Lang;
  sessionIdleMs: number;
  sessionMaxMs: number;
}

/** What the root machine remembers of a chat: who is logged in, which flow runs, and where it came from. */
export interface RootContext extends RootInput {
  session: Session | null;
  /** Flow to resume after a log-in that a members-only flow asked for. */
  after: string | null;
  /** The argument `after` was asked with (a quick action's `freeze:1234`); never a deep link's token. */
  afterArg?: string | null;
  current: string | null;
  arg: string | null;
  now: number;
  /** Where the chat was when the current flow was asked for (see {@link FlowInput.from}). */
  from: string | null;
}

/** Engine-only event sent before each user event so the root can judge session expiry. */
export type ClockEvent = { type: 'clock'; at: number };

/** Engine-only event: the chat's session was set from outside (test fixtures, support). */
export type SessionEvent = { type: 'session'; session: Session | null };

