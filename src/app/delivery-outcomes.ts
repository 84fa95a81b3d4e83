import type { QueueEntry } from '../engine/delivery.js';
import type { Database } from '../infra/db/database.js';
import type { Logger } from '../lib/logger.js';
import { raiseAlert } from '../services/alerts.js';
import { AGENT_REPLY_KEY, type SupportTickets } from '../services/support/index.js';

/** Queue entries of notices are named after their ChatNotice row (`n:<id>`). */
const NOTICE_PREFIX = 'n:';

/**
 * What the app does when the deliverer is done with an entry: a notice's row becomes `sent` or
 * `undeliverable`; an undeliverable notice raises an alert for support (a usage notice has no
 * e-mail behind it, so nobody would know otherwise) — except a support agent's reply, which is
 * marked in its ticket's thread instead, where the agent who wrote it looks.
 */
export function deliveryOutcomes(db: Database, log: Logger, support?: Pick<SupportTickets, 'markUndelivered'>) {
  const noticeId = (e: QueueEntry) => (e.kind === 'notice' && e.id.startsWith(NOTICE_PREFIX) ? e.id.slice(NOTICE_PREFIX.length) : null);
  return {
    async delivered(_chatKey: string, entry: QueueEntry): Promise<void> {
      const id = noticeId(entry);
      if (id) await db.prisma.chatNotice.updateMany({ where: { id }, data: { status: 'sent', sentAt: new Date() } });
    },
    async undeliverable(chatKey: string, entry: QueueEntry, reason: string): Promise<void> {
      const id = noticeId(entry);
      if (!id) return;
      try {
        await db.tx(async (tx) => {
          const n = await tx.chatNotice.update({ where: { id }, data: { status: 'undeliverable' } });
          const ticketId = (n.vars as { ticketId?: unknown } | null)?.ticketId;
          if (n.key === AGENT_REPLY_KEY && typeof ticketId === 'string' && support) return support.markUndelivered(tx, ticketId, reason);
          await raiseAlert(tx, { kind: 'notice-undeliverable', ...(n.memberId ? { memberId: n.memberId } : {}), details: { chat: chatKey, notice: n.key, reason: reason.slice(0, 200) } });
        });
      } catch (err) {
        log.warn({ chat: chatKey, err: (err as Error).message }, 'could not record an undeliverable notice');
      }
    },
  };
}
