/**
 * Member services: sign-up and activation, log-in and chat sessions, passwords and recovery.
 * Built once per process from the app's dependencies.
 */
import type { ServiceDeps } from '../deps.js';
import { AttemptLimits } from './attempts.js';
import { Codes, LinkTokens } from './codes.js';
import { MemberMailSecrets } from './mail-secrets.js';
import { Members } from './members.js';
import { Passwords } from './passwords.js';
import { Sessions } from './sessions.js';

export { ACTIVATION_LINK_PREFIX } from './members.js';
export type { Members } from './members.js';
export type { Sessions } from './sessions.js';
export type { Passwords } from './passwords.js';

/** The member services as one group (`services.members`). */
export interface MemberServices {
  members: Members;
  sessions: Sessions;
  passwords: Passwords;
  codes: Codes;
  /** Makes the codes and links of queued member e-mails at send time (the mail sender's secret source). */
  mailSecrets: MemberMailSecrets;
}

/** Builds the member services. */
export function createMemberServices(deps: ServiceDeps): MemberServices {
  const { config, clock, db, log, secret, store } = deps;
  const codes = new Codes(db, clock, secret, {
    ttlMs: config.CODE_TTL_MINUTES * 60_000,
    maxAttempts: config.CODE_MAX_ATTEMPTS,
    resendGapMs: 60_000,
    perHour: 5,
  });
  const links = new LinkTokens(db, clock, secret);
  const d = { db, clock, config, store, log: log.child({ part: 'members' }), codes, links, attempts: new AttemptLimits(db, clock, secret) };
  const sessions = new Sessions(d);
  const members = new Members(d);
  return { members, sessions, passwords: new Passwords(d, sessions), codes, mailSecrets: new MemberMailSecrets(d, codes, links, (token) => members.activationLink(token)) };
}
