/** What a Slack user may do at the desk. */
export type DeskRole = 'admin' | 'support';

/**
 * Who may act, from SLACK_SUPPORT_USERS and SLACK_ADMIN_USERS (admins are support too and also
 * set rates). Everyone else is refused. Checked on every request, since a message in the support
 * channel is visible (and its buttons pressable) by anyone in it.
 */
export class DeskAccess {
  private readonly support: ReadonlySet<string>;
  private readonly admins: ReadonlySet<string>;

  constructor(o: { supportUsers: readonly string[]; adminUsers: readonly string[] }) {
    this.admins = new Set(o.adminUsers);
    this.support = new Set([...o.supportUsers, ...o.adminUsers]);
  }

  /** The user's role, or null for anyone not listed. */
  role(userId: string | undefined): DeskRole | null {
    if (!userId) return null;
    if (this.admins.has(userId)) return 'admin';
    return this.support.has(userId) ? 'support' : null;
  }

  /** How many people may decide requests (support and admins). */
  get supportCount(): number {
    return this.support.size;
  }
}
