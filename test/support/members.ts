import type { App } from '../../src/app/app.js';
import type { Session } from '../../flows/shared/protocol.js';
import { newId } from '../../src/lib/ids.js';
import { TestChat } from './app.js';
import { uniqueName } from './db.js';

/** A member row made directly in the database (status active), for tests that start logged in. */
export interface TestMember {
  id: string;
  username: string;
  email: string;
  fullName: string;
}

/** Creates an active member; `email` defaults to a unique address. */
export async function createMember(app: App, o: { email?: string; username?: string; fullName?: string; language?: string } = {}): Promise<TestMember> {
  const username = o.username ?? uniqueName('user').slice(0, 30);
  const email = o.email ?? `${username}@example.test`;
  const fullName = o.fullName ?? 'Test Member';
  const id = newId();
  await app.db.prisma.member.create({
    data: {
      id,
      username,
      usernameKey: username.toLowerCase(),
      email,
      emailKey: email.toLowerCase(),
      fullName,
      // Not a usable hash: these members only ever start logged in.
      passwordHash: 'test-fixture-no-login',
      status: 'active',
      language: o.language ?? 'en',
      activatedAt: app.clock.now(),
    },
  });
  return { id, username, email, fullName };
}

/** A chat on the test channel already logged in as `member`. */
export async function loggedInChat(app: App, member: TestMember): Promise<TestChat> {
  const chat = new TestChat(app);
  const now = app.clock.now().getTime();
  const session: Session = { memberId: member.id, username: member.username, sessionId: newId(), startedAt: now, lastSeenAt: now };
  await app.engine.setSession('test', chat.chatId, session);
  return chat;
}
