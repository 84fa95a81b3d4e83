import type { Database } from '../db/database.js';
import type { StoredEntry } from './queue.js';
import type { SnapshotPersistence, StoredSnapshot } from './store.js';

/**
 * Conversation snapshots (`ConversationSnapshot`) and outbound queues (`OutboundEntry`) in the
 * database, used with the in-process store. A turn's snapshot and its queued replies are written in
 * one transaction.
 */
export class DbSnapshots implements SnapshotPersistence {
  constructor(private readonly db: Database) {}

  async load(chatKey: string): Promise<StoredSnapshot | null> {
    const row = await this.db.prisma.conversationSnapshot.findUnique({ where: { chatKey } });
    return row ? { version: row.version, data: row.data } : null;
  }

  async save(chatKey: string, expectedVersion: number, data: string, expiresAt: Date, entries: StoredEntry[] = []): Promise<boolean> {
    const now = new Date();
    try {
      return await this.db.tx(async (tx) => {
        if (expectedVersion === 0) {
          // A conflicting first save fails on the primary key and rolls the entries back with it.
          await tx.conversationSnapshot.create({ data: { chatKey, version: 1, data, updatedAt: now, expiresAt } });
        } else {
          const r = await tx.conversationSnapshot.updateMany({ where: { chatKey, version: expectedVersion }, data: { version: expectedVersion + 1, data, updatedAt: now, expiresAt } });
          if (r.count !== 1) return false;
        }
        if (entries.length) await tx.outboundEntry.createMany({ data: entries.map((e) => ({ chatKey, id: e.id, data: e.data, notBefore: new Date(e.notBefore) })) });
        return true;
      });
    } catch (err) {
      if (expectedVersion === 0 && (err as { code?: string }).code === 'P2002') return false;
      throw err;
    }
  }

  async delete(chatKey: string): Promise<void> {
    await this.db.prisma.conversationSnapshot.deleteMany({ where: { chatKey } });
  }

  async enqueue(chatKey: string, entries: StoredEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.db.prisma.outboundEntry.createMany({ data: entries.map((e) => ({ chatKey, id: e.id, data: e.data, notBefore: new Date(e.notBefore) })), skipDuplicates: true });
  }

  async queue(chatKey: string): Promise<StoredEntry[]> {
    const rows = await this.db.prisma.outboundEntry.findMany({ where: { chatKey }, orderBy: { seq: 'asc' }, select: { id: true, data: true, notBefore: true } });
    return rows.map((r) => ({ id: r.id, data: r.data, notBefore: r.notBefore.getTime() }));
  }

  async ack(chatKey: string, entryId: string): Promise<void> {
    await this.db.prisma.outboundEntry.deleteMany({ where: { chatKey, id: entryId } });
  }

  async update(chatKey: string, entry: StoredEntry): Promise<void> {
    await this.db.prisma.outboundEntry.updateMany({ where: { chatKey, id: entry.id }, data: { data: entry.data, notBefore: new Date(entry.notBefore) } });
  }

  async dueChats(now: number, limit: number): Promise<string[]> {
    // The head of each chat's queue decides when the chat is due (later entries wait behind it).
    const rows = await this.db.raw.query<{ chatKey: string }>(
      `SELECT h."chatKey" FROM (SELECT DISTINCT ON ("chatKey") "chatKey", "notBefore" FROM "OutboundEntry" ORDER BY "chatKey", seq) h
        WHERE h."notBefore" <= $1 ORDER BY h."notBefore" LIMIT $2`,
      [new Date(now).toISOString(), limit],
    );
    return rows.map((r) => r.chatKey);
  }
}
