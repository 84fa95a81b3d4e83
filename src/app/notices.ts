import type { App } from './app.js';

const BATCH = 50;
const BACKOFF_MS = [1_000, 5_000, 15_000, 60_000, 300_000];
/** After this long without a chat to deliver to, a notice is dropped (e-mail carries the news too). */
const GIVE_UP_MS = 7 * 24 * 3600_000;

/**
 * Delivers queued chat notices (ChatNotice rows) through the engine to the member's chat, so every
 * change to a conversation takes the same road. At-least-once: a notice is leased (attempts + next
 * attempt time) before it is sent and marked sent after, so a crash retries it.
 */
export async function dispatchNotices(app: App): Promise<number> {
  const now = app.clock.now();
  const due = await app.db.prisma.chatNotice.findMany({
    where: { status: 'pending', nextAttemptAt: { lte: now } },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  let sent = 0;
  for (const n of due) {
    const lease = new Date(now.getTime() + (BACKOFF_MS[Math.min(n.attempts, BACKOFF_MS.length - 1)] ?? 300_000));
    const claimed = await app.db.prisma.chatNotice.updateMany({ where: { id: n.id, status: 'pending', attempts: n.attempts }, data: { attempts: n.attempts + 1, nextAttemptAt: lease } });
    if (claimed.count !== 1) continue;
    let chatKey = n.chatKey;
    if (!chatKey && n.memberId) chatKey = (await app.db.prisma.memberChat.findUnique({ where: { memberId: n.memberId } }))?.chatKey ?? null;
    if (!chatKey) {
      if (now.getTime() - n.createdAt.getTime() > GIVE_UP_MS || !n.memberId) await app.db.prisma.chatNotice.update({ where: { id: n.id }, data: { status: 'dropped' } });
      continue;
    }
    const sep = chatKey.indexOf(':');
    const channel = chatKey.slice(0, sep);
    const chatId = chatKey.slice(sep + 1);
    const sender = app.senders.get(channel);
    if (!sender) continue; // that channel is not running in this process; retried later
    try {
      const vars = (n.vars ?? {}) as Record<string, string | number>;
      const outbound = await app.engine.notify(channel, chatId, { msgKey: n.key, vars, endSession: n.endSession });
      await sender(chatId, outbound);
      await app.db.prisma.chatNotice.update({ where: { id: n.id }, data: { status: 'sent', sentAt: app.clock.now() } });
      sent++;
    } catch (err) {
      app.log.warn({ notice: n.id, err: (err as Error).message }, 'notice delivery failed; will retry');
    }
  }
  return sent;
}
