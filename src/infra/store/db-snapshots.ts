import type { Database } from '../db/database.js';
import type { SnapshotPersistence, StoredSnapshot } from './store.js';

/** Conversation snapshots in the `ConversationSnapshot` table (used with the in-process store). */
export class DbSnapshots implements SnapshotPersistence {
  constructor(private readonly db: Database) {}

  async load(chatKey: string): Promise<StoredSnapshot | null> {
    const row = await this.db.prisma.conversationSnapshot.findUnique({ where: { chatKey } });
    return row ? { version: row.version, data: row.data } : null;
  }

  async save(chatKey: string, expectedVersion: number, data: string, expiresAt: Date): Promise<boolean> {
    const now = new Date();
    if (expectedVersion === 0) {
      try {
        await this.db.prisma.conversationSnapshot.create({ data: { chatKey, version: 1, data, updatedAt: now, expiresAt } });
        return true;
      } catch {
        return false;
      }
    }
    const r = await this.db.prisma.conversationSnapshot.updateMany({
      where: { chatKey, version: expectedVersion },
      data: { version: expectedVersion + 1, data, updatedAt: now, expiresAt },
    });
    return r.count === 1;
  }

  async delete(chatKey: string): Promise<void> {
    await this.db.prisma.conversationSnapshot.deleteMany({ where: { chatKey } });
  }
}
