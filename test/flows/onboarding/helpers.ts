import { expect } from 'vitest';
import type { App } from '../../../src/app/app.js';
import { hashPassword } from '../../../src/services/members/password-rules.js';
import { newId } from '../../../src/lib/ids.js';
import type { TestChat } from '../../support/app.js';
import { delivered } from '../../support/mailbox.js';

/** A password no list holds; tests look for it everywhere it must not be. */
export const CANARY = 'Canary-Pw-7f3e9b1c';

/** The newest e-mail sent to `to` (optionally of one template), as it went out (queued mail is sent first). */
export async function lastMail(app: App, to: string, template?: string) {
  return (await delivered(app)).filter((m) => m.to === to && (!template || m.template === template)).at(-1) ?? null;
}

/** The 8-digit code in the newest e-mail to `to`. */
export async function codeFrom(app: App, to: string, template = 'verification'): Promise<string> {
  const mail = await lastMail(app, to, template);
  const code = /\b(\d{8})\b/.exec(mail?.text ?? '')?.[1];
  expect(code, `a code in the ${template} e-mail to ${to}`).toBeDefined();
  return code!;
}

/** Answers sign-up's five questions and submits (CAPTCHA answer TEST42); the chat then asks for the code. */
export async function signUp(chat: TestChat, o: { username: string; email: string; password?: string; name?: string }): Promise<void> {
  await chat.send('/signup');
  await chat.send(o.username);
  await chat.send(o.email);
  await chat.send(o.name ?? 'Jane Doe');
  await chat.send(o.password ?? CANARY);
  await chat.send(o.password ?? CANARY);
  await chat.press('Submit');
  await chat.send('TEST42');
}

/** A member made directly in the database (active unless told), for log-in and password tests. */
export async function makeMember(app: App, o: { username: string; email?: string; password?: string; status?: 'active' | 'pending'; language?: 'en' | 'ja' }): Promise<string> {
  const id = newId();
  const now = app.clock.now();
  await app.db.prisma.member.create({
    data: {
      id,
      username: o.username,
      usernameKey: o.username.toLowerCase(),
      email: o.email ?? `${o.username.toLowerCase()}@example.com`,
      emailKey: (o.email ?? `${o.username}@example.com`).toLowerCase(),
      fullName: 'Test Person',
      passwordHash: await hashPassword(o.password ?? CANARY),
      status: o.status ?? 'active',
      language: o.language ?? 'en',
      pendingExpiresAt: o.status === 'pending' ? new Date(now.getTime() + 24 * 3600_000) : null,
      activatedAt: o.status === 'pending' ? null : now,
    },
  });
  return id;
}

/** Logs in through the chat (username, password, CAPTCHA, [CONTINUE]). */
export async function logIn(chat: TestChat, username: string, password = CANARY): Promise<void> {
  await chat.send('/login');
  await chat.send(username);
  await chat.send(password);
  await chat.send('TEST42');
  await chat.press('CONTINUE');
}

/** A unique username for a test. */
export function uname(prefix = 'u'): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 9)}`;
}

/** Every text column of every table, as one string, to look for secrets in. */
export async function allDbText(app: App): Promise<string> {
  const tables = await app.db.raw.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await app.db.raw.query(`SELECT * FROM "${t.table_name}"`);
    parts.push(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  }
  return parts.join('\n');
}
