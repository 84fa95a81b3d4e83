import type { Config } from '../../config/config.js';

/** What a Slack user may do on the desk: admins also set rates; support does the rest. */
export type SlackRole = 'admin' | 'support';

/** Who is on the support team (`SLACK_SUPPORT_USERS`) and who is an admin (`SLACK_ADMIN_USERS`, support too). */
export interface SlackAccess {
  supportUsers: readonly string[];
  adminUsers: readonly string[];
}

/** The access lists of the configuration. */
export function slackAccess(config: Pick<Config, 'SLACK_SUPPORT_USERS' | 'SLACK_ADMIN_USERS'>): SlackAccess {
  return { supportUsers: config.SLACK_SUPPORT_USERS, adminUsers: config.SLACK_ADMIN_USERS };
}

/**
 * The one check both halves of the desk make before acting for a Slack user: `admin`, `support`,
 * or null for anyone else (who gets an ephemeral refusal, sees no member data, and is audited).
 *
 * @example
 * const role = authorize(body.user.id, slackAccess(config));
 * if (!role) return refuse();
 */
export function authorize(userId: string | undefined, access: SlackAccess): SlackRole | null {
  if (!userId) return null;
  if (access.adminUsers.includes(userId)) return 'admin';
  if (access.supportUsers.includes(userId)) return 'support';
  return null;
}

/** Everyone who may act (support and admins, once each): fewer than two cannot approve anything. */
export function actingPeople(access: SlackAccess): string[] {
  return [...new Set([...access.supportUsers, ...access.adminUsers])];
}
