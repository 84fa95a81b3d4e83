import { fromPromise } from 'xstate';
import type { Lang } from '../../../flows/shared/protocol.js';
import type { StateStore } from '../../infra/store/store.js';
import { caseKey } from '../../../flows/signup/rules.js';
import type { MemberServices } from './index.js';

/** Least time between two "forgot username" e-mails to one address. */
const USERNAME_MAIL_GAP_MS = 60_000;

/**
 * The side effects of the onboarding flows (sign-up, activation, log-in, forgot password, forgot
 * username, change password), by flow id and port name, over the member services.
 */
export function onboardingActors(s: MemberServices, store: StateStore): Record<string, Record<string, unknown>> {
  const checkNewPassword = fromPromise(async ({ input }: { input: { password: string; username: string | null; memberId: string | null } }) => {
    const username = input.username ?? (input.memberId ? await s.passwords.usernameOf(input.memberId) : null);
    return s.passwords.checkNew(input.password, username);
  });
  const passwordMatches = fromPromise(({ input }: { input: { hash: string; password: string } }) => s.passwords.matches(input.hash, input.password));
  return {
    signup: {
      'username free': fromPromise(({ input }: { input: { username: string } }) => s.members.usernameFree(input.username)),
      'check new password': checkNewPassword,
      'password matches': passwordMatches,
      register: fromPromise(async ({ input }: { input: { username: string; email: string; fullName: string; passwordHash: string; lang: Lang } }) => {
        const r = await s.members.register(input);
        return r === 'sent' && s.members.mailHasLinks() ? ('sent-with-link' as const) : r;
      }),
    },
    activate: {
      'claim link': fromPromise(({ input }: { input: { token: string } }) => s.members.claimActivationLink(input.token)),
      'find pending': fromPromise(({ input }: { input: { username: string } }) => s.members.pendingByUsername(input.username)),
      'check code': fromPromise(({ input }: { input: { memberId: string | null; code: string } }) => s.members.checkActivationCode(input.memberId, input.code)),
      'resend code': fromPromise(({ input }: { input: { memberId: string | null } }) => s.members.resendActivation(input.memberId)),
      activate: fromPromise(async ({ input }: { input: { memberId: string | null; codeId: string | null } }) =>
        input.memberId && input.codeId ? s.members.activate(input.memberId, input.codeId) : false,
      ),
    },
    login: {
      'check login': fromPromise(({ input }: { input: { username: string; password: string } }) => s.sessions.checkLogin(input.username, input.password)),
      'start session': fromPromise(({ input }: { input: { memberId: string; chatKey: string } }) => s.sessions.start(input.memberId, input.chatKey)),
    },
    forgotpassword: {
      'start reset': fromPromise(({ input }: { input: { username: string } }) => s.passwords.startReset(input.username)),
      'resend code': fromPromise(({ input }: { input: { username: string } }) => s.passwords.startReset(input.username)),
      'check code': fromPromise(({ input }: { input: { username: string; code: string } }) => s.passwords.checkResetCode(input.username, input.code)),
      'check new password': checkNewPassword,
      'password matches': passwordMatches,
      'set password': fromPromise(({ input }: { input: { codeId: string; hash: string } }) => s.passwords.completeReset(input.codeId, input.hash)),
    },
    forgotusername: {
      'send username': fromPromise(async ({ input }: { input: { email: string } }) => {
        // One e-mail a minute per address, so the flow cannot be used to flood someone's inbox.
        if (await store.claimOnce(`forgot-username:${caseKey(input.email)}`, USERNAME_MAIL_GAP_MS)) await s.passwords.sendUsername(input.email);
      }),
    },
    changepassword: {
      'check current': fromPromise(({ input }: { input: { memberId: string; password: string } }) => s.passwords.checkCurrent(input.memberId, input.password)),
      'check new password': checkNewPassword,
      'password matches': passwordMatches,
      'change password': fromPromise(({ input }: { input: { memberId: string; hash: string; chatKey: string } }) => s.passwords.setPassword(input.memberId, input.hash, input.chatKey, 'change')),
    },
  };
}
