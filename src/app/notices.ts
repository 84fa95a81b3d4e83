import type { Button } from '../../flows/shared/protocol.js';
import { button } from '../../flows/shared/say.js';
import type { App } from './app.js';

const BATCH = 50;
/** After this long without a chat to deliver to, a notice is dropped (e-mail carries the news too). */
const GIVE_UP_MS = 7 * 24 * 3600_000;
/** Queue entries of notices are named after their row, so queueing one twice adds it once (see delivery-outcomes.ts). */
const NOTICE_PREFIX = 'n:';

/**
 * The quick actions a notice offers, by its catalogue key: a completed charge → [Balance]
 * [Charge again]; a purchase or ATM withdrawal → [Freeze card] and [Talk to support] (someone else
 * may have used the card). Their values start the flow whenever they are pressed (see QUICK_ACTION).
 */
export function quickActions(key: string, vars: Record<string, string | number>): Button[][] | undefined {
  if (key === 'charge-completed') return [[button('notice-btn-balance', 'go:balance'), button('notice-btn-charge-again', 'go:charge')]];
  if ((key === 'usage-approved-purchase' || key === 'usage-approved-atm') && /^\d{4}$/.test(String(vars.last4 ?? ''))) {
    return [[button('notice-btn-freeze', `go:cards:freeze:${vars.last4}`, { last4: vars.last4! })], [button('notice-btn-not-me', 'go:support')]];
  }
  return undefined;
}

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
    const buttons = quickActions(n.key, vars);
    await app.engine.queueNotice(chatKey.slice(0, sep), chatKey.slice(sep + 1), { id: NOTICE_PREFIX + n.id, msg: { key: n.key, vars }, endSession: n.endSession, ...(n.signal ? { signal: n.signal } : {}), ...(buttons ? { buttons } : {}) });
    await app.db.prisma.chatNotice.updateMany({ where: { id: n.id, status: 'pending' }, data: { status: 'queued', chatKey } });
    touched.add(chatKey);
    queued++;
  }
  for (const chatKey of touched) await app.engine.delivery.flush(chatKey).catch((err: Error) => app.log.warn({ chat: chatKey, err: err.message }, 'notice delivery failed; will retry'));
  return queued;
}
