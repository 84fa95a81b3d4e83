/**
 * Deposit / withdrawal history (members only): "Enter the period you want to display in mm/dd/yyyy"
 * — both dates in one message (`11/01/2026 - 11/30/2026`) or one after the other, or a quick button
 * (last 7 days, this month, last month) — then [VIEW TRANSACTIONS]: newest first, 10 a page with
 * [Prev]/[Next], totals in and out per currency, and [Download CSV] for a statement file. Dates are
 * days in the operator's zone; the service reads and checks them.
 */
import { assign, setup } from 'xstate';
import { port } from '../shared/port.js';
import type { Button, FlowInput, FlowOutput, Lang, Reply, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';

/** Output of 'read period' (see src/services/history/period.ts). */
export type PeriodRead =
  | { kind: 'period'; period: { from: string; to: string; clamped: boolean } }
  | { kind: 'from'; from: string }
  | { kind: 'error'; code: string; vars: Record<string, string> };

/** One page as the service renders it. */
export interface HistoryPageView {
  from: string;
  to: string;
  page: number;
  pages: number;
  count: number;
  lines: string;
  totals: string;
  hasPrev: boolean;
  hasNext: boolean;
}

interface HistoryContext {
  memberId: string;
  lang: Lang;
  pendingFrom: string | null;
  from: string | null;
  to: string | null;
  clamped: boolean;
  page: number;
  view: HistoryPageView | null;
}

const QUICK = 'quick:';
const VIEW = 'view';
const CHANGE = 'change';
const NEXT = 'next';
const PREV = 'prev';
const CSV = 'csv';
const CHART = 'chart';
const DONE = 'done';
const CANCEL = 'cancel';

const quickButtons: Button[][] = [
  [button('history-btn-last7', QUICK + 'last7'), button('history-btn-this-month', QUICK + 'this-month'), button('history-btn-last-month', QUICK + 'last-month')],
  [button('btn-cancel', CANCEL)],
];

/** Catalogue key of a period refusal: `HISTORY.TOO_LONG` → `history-err-too-long`. */
function errorKey(code: string): string {
  return `history-err-${code.replace(/^HISTORY\./, '').toLowerCase().replace(/_/g, '-')}`;
}

function navButtons(v: HistoryPageView): Button[][] {
  const nav: Button[] = [];
  if (v.hasPrev) nav.push(button('history-btn-prev', PREV));
  if (v.hasNext) nav.push(button('history-btn-next', NEXT));
  const rows: Button[][] = nav.length ? [nav] : [];
  if (v.count > 0) rows.push([button('history-btn-csv', CSV), button('history-btn-chart', CHART)]);
  rows.push([button('history-btn-new-period', CHANGE), button('history-btn-done', DONE)]);
  return rows;
}

/** What both "asking" states accept. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const askHandlers: any = {
  text: { target: '#history.reading' },
  button: [
    { guard: ({ event }: { event: UserEvent & { type: 'button' } }) => event.value === CANCEL, target: '#history.done', actions: say('cancelled') },
    { guard: ({ event }: { event: UserEvent & { type: 'button' } }) => event.value.startsWith(QUICK), target: '#history.quick' },
  ],
};

/** The history flow (pure; reading periods, pages and the CSV are provided). */
export const historyMachine = setup({
  types: {} as { context: HistoryContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'read period': port<{ text: string; pendingFrom: string | null; memberId: string }, PeriodRead>(),
    'quick period': port<{ which: string; memberId: string }, { from: string; to: string }>(),
    'history page': port<{ memberId: string; from: string; to: string; page: number; lang: Lang }, HistoryPageView>(),
    'history csv': port<{ memberId: string; from: string; to: string }, { name: string; mime: string; content: string }>(),
    'history chart': port<{ memberId: string; from: string; to: string; lang: Lang }, { png: string; totals: string }>(),
  },
}).createMachine({
  id: 'history',
  context: ({ input }) => ({ memberId: input.session!.memberId, lang: input.lang, pendingFrom: null, from: null, to: null, clamped: false, page: 0, view: null }),
  initial: 'asking',
  states: {
    asking: {
      tags: ['prompt:period'],
      entry: [assign({ pendingFrom: null }), say('history-ask', undefined, quickButtons)],
      on: askHandlers,
    },
    /** After a refusal: the refusal already said what is expected; wait for another try. */
    askingAgain: { tags: ['prompt:period'], on: askHandlers },
    askingTo: {
      tags: ['prompt:period'],
      entry: reply<HistoryContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'history-ask-to', vars: { from: context.pendingFrom! } }, buttons: [[button('btn-cancel', CANCEL)]] })),
      on: {
        text: { target: 'reading' },
        button: { guard: ({ event }) => event.value === CANCEL, target: 'done', actions: say('cancelled') },
      },
    },
    /** Same as askingTo, without repeating the question. */
    askingToAgain: {
      tags: ['prompt:period'],
      on: {
        text: { target: 'reading' },
        button: { guard: ({ event }) => event.value === CANCEL, target: 'done', actions: say('cancelled') },
      },
    },
    reading: {
      invoke: {
        src: 'read period',
        input: ({ context, event }) => ({ text: (event as { text: string }).text, pendingFrom: context.pendingFrom, memberId: context.memberId }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'period',
            target: 'ready',
            actions: assign(({ event }) => (event.output.kind === 'period' ? { from: event.output.period.from, to: event.output.period.to, clamped: event.output.period.clamped, pendingFrom: null } : {})),
          },
          { guard: ({ event }) => event.output.kind === 'from', target: 'askingTo', actions: assign({ pendingFrom: ({ event }) => (event.output.kind === 'from' ? event.output.from : null) }) },
          {
            guard: ({ context }) => context.pendingFrom !== null,
            target: 'askingToAgain',
            actions: reply(({ event }: { event: { output: PeriodRead & { kind: 'error' } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars }, buttons: [[button('btn-cancel', CANCEL)]] })),
          },
          {
            target: 'askingAgain',
            actions: reply(({ event }: { event: { output: PeriodRead & { kind: 'error' } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars }, buttons: quickButtons })),
          },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    quick: {
      invoke: {
        src: 'quick period',
        input: ({ context, event }) => ({ which: (event as { value: string }).value.slice(QUICK.length), memberId: context.memberId }),
        onDone: { target: 'loading', actions: assign(({ event }) => ({ from: event.output.from, to: event.output.to, clamped: false, page: 0 })) },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    ready: {
      entry: reply<HistoryContext, UserEvent>(({ context }) => ({
        kind: 'text',
        msg: { key: context.clamped ? 'history-ready-clamped' : 'history-ready', vars: { from: context.from!, to: context.to! } },
        buttons: [[button('history-btn-view', VIEW)], [button('history-btn-change', CHANGE), button('btn-cancel', CANCEL)]],
      })),
      on: {
        button: [
          { guard: ({ event }) => event.value === VIEW, target: 'loading', actions: assign({ page: 0 }) },
          { guard: ({ event }) => event.value === CHANGE, target: 'asking' },
          { guard: ({ event }) => event.value === CANCEL, target: 'done', actions: say('cancelled') },
        ],
        text: { target: 'reading' },
      },
    },
    loading: {
      invoke: {
        src: 'history page',
        input: ({ context }) => ({ memberId: context.memberId, from: context.from!, to: context.to!, page: context.page, lang: context.lang }),
        onDone: { target: 'viewing', actions: assign({ view: ({ event }) => event.output }) },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    /** A page of results: the page buttons work whether it was just shown or is still on screen after a CSV. */
    viewing: {
      tags: ['prompt:period'],
      initial: 'shown',
      on: {
        button: [
          { guard: ({ context, event }) => event.value === NEXT && context.view!.hasNext, target: 'loading', actions: assign({ page: ({ context }) => context.page + 1 }) },
          { guard: ({ context, event }) => event.value === PREV && context.view!.hasPrev, target: 'loading', actions: assign({ page: ({ context }) => context.page - 1 }) },
          { guard: ({ event }) => event.value === CSV, target: 'exporting' },
          { guard: ({ event }) => event.value === CHART, target: 'charting' },
          { guard: ({ event }) => event.value === CHANGE, target: 'asking' },
          { guard: ({ event }) => event.value === DONE, target: 'done' },
        ],
      },
      states: {
        shown: {
          entry: reply<HistoryContext, UserEvent>(({ context }): Reply => {
            const v = context.view!;
            if (v.count === 0) return { kind: 'text', msg: { key: 'history-empty', vars: { from: v.from, to: v.to } }, buttons: navButtons(v), replace: true };
            return { kind: 'text', msg: { key: 'history-page', vars: { from: v.from, to: v.to, page: v.page + 1, pages: v.pages, count: v.count, lines: v.lines, totalsHtml: v.totals } }, buttons: navButtons(v), replace: true };
          }),
          // Typing on the result screen: a period starts a new search (see `rereading`).
          on: { text: { target: '#history.rereading' } },
        },
        /** The page is still on screen (the CSV was just sent, or a line of help): same buttons, no repeat. */
        quiet: { on: { text: { target: '#history.rereading' } } },
      },
    },
    /**
     * Text typed on the result screen, read as a period: a whole period shows its first page, one
     * date asks for the last; a date that is wrong is explained; anything else gets one line of
     * help. Either way the result's buttons come back.
     */
    rereading: {
      invoke: {
        src: 'read period',
        input: ({ context, event }) => ({ text: (event as { text: string }).text, pendingFrom: null, memberId: context.memberId }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'period',
            target: 'loading',
            actions: assign(({ event }) => (event.output.kind === 'period' ? { from: event.output.period.from, to: event.output.period.to, clamped: event.output.period.clamped, page: 0 } : {})),
          },
          { guard: ({ event }) => event.output.kind === 'from', target: 'askingTo', actions: assign({ pendingFrom: ({ event }) => (event.output.kind === 'from' ? event.output.from : null) }) },
          {
            guard: ({ event }) => event.output.kind === 'error' && event.output.code !== 'HISTORY.BAD_FORMAT',
            target: 'viewing.quiet',
            actions: reply(({ context, event }: { context: HistoryContext; event: { output: PeriodRead & { kind: 'error' } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars }, buttons: navButtons(context.view!) })),
          },
          { target: 'viewing.quiet', actions: reply(({ context }: { context: HistoryContext }) => ({ kind: 'text', msg: { key: 'history-type-period' }, buttons: navButtons(context.view!) })) },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    exporting: {
      invoke: {
        src: 'history csv',
        input: ({ context }) => ({ memberId: context.memberId, from: context.from!, to: context.to! }),
        onDone: {
          target: 'viewing.quiet',
          actions: [
            reply(({ event }: { event: { output: { name: string; mime: string; content: string } } }) => ({ kind: 'file', name: event.output.name, mime: event.output.mime, content: event.output.content, caption: { key: 'history-csv-caption' } })),
            reply(({ context }: { context: HistoryContext }) => ({ kind: 'text', msg: { key: 'history-csv-sent' }, buttons: navButtons(context.view!) })),
          ],
        },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    /** [Chart]: a picture of the period (balance, daily in/out per currency), captioned with the totals. */
    charting: {
      invoke: {
        src: 'history chart',
        input: ({ context }) => ({ memberId: context.memberId, from: context.from!, to: context.to!, lang: context.lang }),
        onDone: {
          target: 'viewing.quiet',
          actions: reply(({ context, event }: { context: HistoryContext; event: { output: { png: string; totals: string } } }) => ({
            kind: 'image',
            png: event.output.png,
            caption: { key: 'history-chart-caption', vars: { from: context.from!, to: context.to!, totalsHtml: event.output.totals } },
            buttons: navButtons(context.view!),
          })),
        },
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
