import type { App } from './app.js';

const BATCH = 50;
/** After this long without a chat to deliver to, a notice is dropped (e-mail carries the news too). */
const GIVE_UP_MS = 7 * 24 * 3600_000;
/** Queue entries of notices are named after their row, so queueing one twice adds it once (see delivery-outcomes.ts). */
const NOTICE_PREFIX = 'n:';

/**
 * Moves due chat notices (ChatNotice rows, written in the transaction of their cause) into their
 * chat's outbound queue, behind the chat's replies; the deliverer applies and sends each in order.
 * A crash between queueing and marking the row queues it again, which adds nothing (same entry id).
 */
export async function dispatchNotices(app: App): Promise<number> {
  const now = app.clock.now();
  const due = await app.db.prisma.chatNotice.findMany({ where: { status: 'pending', nextAttemptAt: { lte: now } }, orderBy: { createdAt: 'asc' }, take: BATCH });
  const touched = new Set<string>();
  let queued = 0;
  for (const n of due) {
    let chatKey = n.chatKey;
    if (!chatKey && n.memberId) chatKey = (await app.db.prisma.memberChat.findUnique({ where: { memberId: n.memberId } }))?.chatKey ?? null;
    if (!chatKey) {
      if (now.getTime() - n.createdAt.getTime() > GIVE_UP_MS || !n.memberId) await app.db.prisma.chatNotice.update({ where: { id: n.id }, data: { status: 'dropped' } });
      else await app.db.prisma.chatNotice.update({ where: { id: n.id }, data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + 60_000) } });
      continue;
    }
    const sep = chatKey.indexOf(':');
    const vars = (n.vars ?? {}) as Record<string, string | number>;
    await app.engine.queueNotice(chatKey.slice(0, sep), chatKey.slice(sep + 1), { id: NOTICE_PREFIX + n.id, msg: { key: n.key, vars }, endSession: n.endSession, ...(n.signal ? { signal: n.signal } : {}) });
    await app.db.prisma.chatNotice.updateMany({ where: { id: n.id, status: 'pending' }, data: { status: 'queued', chatKey } });
    touched.add(chatKey);
    queued++;
  }
  for (const chatKey of touched) await app.engine.delivery.flush(chatKey).catch((err: Error) => app.log.warn({ chat: chatKey, err: err.message }, 'notice delivery failed; will retry'));
  return queued;
}
