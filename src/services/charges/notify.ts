import type { Tx } from '../../infra/db/database.js';
import type { MoneyLang } from '../../domain/money/index.js';

/** The member's current chat when they are linked to one, else the chat the charge was made in. */
export async function chargeNoticeTarget(tx: Tx, c: { memberId: string; chatKey: string | null }): Promise<{ memberId: string } | { chatKey: string }> {
  const linked = await tx.memberChat.findUnique({ where: { memberId: c.memberId } });
  if (linked || !c.chatKey) return { memberId: c.memberId };
  return { chatKey: c.chatKey };
}

/** The language a member's notices and e-mails are written in. */
export async function memberLang(tx: Tx, memberId: string): Promise<MoneyLang> {
  const member = await tx.member.findUnique({ where: { id: memberId }, select: { language: true } });
  return member?.language === 'ja' ? 'ja' : 'en';
}
