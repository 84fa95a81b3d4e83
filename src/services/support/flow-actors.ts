import { fromPromise } from 'xstate';
import type { SupportServices } from './index.js';

/** The side effects of the hand-off flow (flows/handoff, id `support`), for `flowActors` in src/app/flows.ts. */
export function supportFlowActors(support: SupportServices): Record<string, Record<string, unknown>> {
  const t = support.tickets;
  return {
    support: {
      'support status': fromPromise(({ input }: { input: { chatKey: string; memberId: string | null } }) => t.status(input.chatKey, input.memberId)),
      'open ticket': fromPromise(({ input }: { input: { chatKey: string; memberId: string | null; username: string | null; lang: string; summary: string; from: string } }) => t.open(input)),
      'relay message': fromPromise(({ input }: { input: { ticketId: string; chatKey: string; text: string } }) => t.relayFromChat(input)),
      'close ticket': fromPromise(({ input }: { input: { ticketId: string; chatKey: string } }) => t.closeByCardholder(input)),
    },
  };
}
