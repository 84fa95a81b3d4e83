/**
 * Card Charge (members only): card → withdrawal currency (what the cardholder pays) → charge
 * currency (what lands on the card; the same currency is allowed) → amount in either currency →
 * the quote (both amounts, rate, fee, how long it holds) → [Confirm] / [Change] / [Cancel] →
 * "charge received" with a reference and how to pay. Completion happens later, outside the chat
 * (the payment provider confirms; a notice and an e-mail follow). A quote past its expiry is never
 * honoured: pressing [Confirm] then re-quotes and asks again.
 */
import { assign, setup } from 'xstate';
import { chooseCardMachine, chooseCardStep, type ChosenCard } from '../shared/choose-card.js';
import { port } from '../shared/port.js';
import type { Button, FlowInput, FlowOutput, Lang, UserEvent } from '../shared/protocol.js';
import { button, reply, say } from '../shared/say.js';

/** A quote as shown (strings; amounts formatted by the service). */
export interface QuoteView {
  quoteId: string;
  cardId: string;
  from: string;
  to: string;
  fromText: string;
  toText: string;
  feeText: string;
  rateText: string;
  expiresAt: number;
  /** How long it holds, in minutes, and until when (operator's clock, HH:mm). */
  validMinutes: number;
  expiresText: string;
  /** A bare number that only fitted one way was taken that way: as what lands on the card, or as what is paid. */
  takenAs?: 'receive' | 'pay';
}

/** Output of 'charge options': which currencies this card can be charged in and paid with. */
export type ChargeOptions = { ok: true; pay: string[]; charge: string[] } | { ok: false; code: string; vars: Record<string, string> };
/** Output of 'quote'. */
export type QuoteResult = { ok: true; quote: QuoteView } | { ok: false; code: string; vars: Record<string, string> };
/** Output of 'confirm'. */
export type ConfirmResult =
  | { ok: true; reference: string; fromText: string; toText: string; payKey: string; payVars: Record<string, string | number> }
  | { ok: false; code: string; vars: Record<string, string> };

interface ChargeContext {
  memberId: string;
  chatKey: string;
  lang: Lang;
  card: ChosenCard;
  pay: string[];
  charge: string[];
  from: string | null;
  to: string | null;
  amountText: string | null;
  /** Both readings of a bare number (the service's variables), while the person chooses. */
  readings: Record<string, string> | null;
  quote: QuoteView | null;
  reference: string | null;
}

const CUR = 'cur:';
/** [Pay …] / [Get …]: which reading of a bare number was meant. */
const AS_PAY = 'as:pay';
const AS_GET = 'as:get';
const CANCEL = 'cancel';
const CONFIRM = 'confirm';
const CHANGE = 'change';

/** Refusals that end the flow (nothing the person can type fixes them here). */
const FINAL_CODES = ['CHARGE.NO_RATE', 'CHARGE.RATE_STALE', 'CHARGE.CARD_FROZEN', 'CHARGE.CARD_UNAVAILABLE', 'CHARGE.CURRENCY_NOT_OFFERED', 'CHARGE.QUOTE_NOT_FOUND'];

/** Currency buttons, four a row, then [Cancel]. */
function currencyButtons(codes: string[]): Button[][] {
  const rows: Button[][] = [];
  for (let i = 0; i < codes.length; i += 4) rows.push(codes.slice(i, i + 4).map((c) => button('charge-currency-button', CUR + c, { currency: c })));
  rows.push([button('btn-cancel', CANCEL)]);
  return rows;
}

/** Catalogue key of a refusal code: `MONEY.TOO_MANY_DECIMALS` → `charge-err-money-too-many-decimals`. */
export function errorKey(code: string): string {
  return `charge-err-${code.toLowerCase().replace(/[._]/g, '-')}`;
}

/** A currency typed instead of pressed (`usd`), if it is one of the offered ones. */
function typedCurrency(text: string, offered: string[]): string | null {
  const c = text.trim().toUpperCase();
  return offered.includes(c) ? c : null;
}

const cancelled = { guard: ({ event }: { event: UserEvent }) => event.type === 'button' && event.value === CANCEL, target: '#charge.done', actions: say('cancelled') };

/** The Card Charge flow (pure; side effects provided from `src/app/flows.ts`). */
export const chargeMachine = setup({
  types: {} as { context: ChargeContext; input: FlowInput; events: UserEvent; output: FlowOutput },
  actors: {
    'choose card': chooseCardMachine,
    'charge options': port<{ memberId: string; cardId: string }, ChargeOptions>(),
    quote: port<{ memberId: string; cardId: string; from: string; to: string; text: string; lang: Lang }, QuoteResult>(),
    confirm: port<{ memberId: string; quoteId: string; chatKey: string; lang: Lang }, ConfirmResult>(),
  },
}).createMachine({
  id: 'charge',
  context: ({ input }) => ({
    memberId: input.session!.memberId, chatKey: input.chatKey, lang: input.lang, card: null, pay: [], charge: [],
    from: null, to: null, amountText: null, readings: null, quote: null, reference: null,
  }),
  initial: 'choosing',
  states: {
    choosing: chooseCardStep({ then: 'checking', none: 'done', promptKey: 'charge-choose-card' }),
    checking: {
      invoke: {
        src: 'charge options',
        input: ({ context }) => ({ memberId: context.memberId, cardId: context.card!.cardId }),
        onDone: [
          { guard: ({ event }) => !event.output.ok, target: 'done', actions: reply(({ event }: { event: { output: ChargeOptions & { ok: false } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars } })) },
          { target: 'from', actions: assign(({ event }) => (event.output.ok ? { pay: event.output.pay, charge: event.output.charge } : {})) },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    from: {
      entry: reply<ChargeContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'charge-ask-from', vars: { last4: context.card!.last4 } }, buttons: currencyButtons(context.pay) })),
      on: {
        button: [
          cancelled,
          { guard: ({ context, event }) => context.pay.includes(event.value.slice(CUR.length)), target: 'to', actions: assign({ from: ({ event }) => event.value.slice(CUR.length) }) },
        ],
        text: [
          { guard: ({ context, event }) => typedCurrency(event.text, context.pay) !== null, target: 'to', actions: assign({ from: ({ context, event }) => typedCurrency(event.text, context.pay) }) },
          { target: 'from', reenter: true, actions: say('charge-bad-currency') },
        ],
      },
    },
    to: {
      entry: reply<ChargeContext, UserEvent>(({ context }) => ({ kind: 'text', msg: { key: 'charge-ask-to', vars: { from: context.from! } }, buttons: currencyButtons(context.charge) })),
      on: {
        button: [
          cancelled,
          { guard: ({ context, event }) => context.charge.includes(event.value.slice(CUR.length)), target: 'amount', actions: assign({ to: ({ event }) => event.value.slice(CUR.length) }) },
        ],
        text: [
          { guard: ({ context, event }) => typedCurrency(event.text, context.charge) !== null, target: 'amount', actions: assign({ to: ({ context, event }) => typedCurrency(event.text, context.charge) }) },
          { target: 'to', reenter: true, actions: say('charge-bad-currency') },
        ],
      },
    },
    amount: {
      tags: ['prompt:amount'],
      entry: reply<ChargeContext, UserEvent>(({ context }) => ({
        kind: 'text',
        msg: { key: context.from === context.to ? 'charge-ask-amount-same' : 'charge-ask-amount', vars: { from: context.from!, to: context.to! } },
        buttons: [[button('btn-cancel', CANCEL)]],
      })),
      on: {
        button: [cancelled],
        text: { target: 'quoting', actions: assign({ amountText: ({ event }) => event.text.slice(0, 40) }) },
      },
    },
    quoting: {
      invoke: {
        src: 'quote',
        input: ({ context }) => ({ memberId: context.memberId, cardId: context.card!.cardId, from: context.from!, to: context.to!, text: context.amountText!, lang: context.lang }),
        onDone: [
          {
            // Only one reading of a bare number fitted: say which was taken, then the quote.
            guard: ({ event }) => event.output.ok && event.output.quote.takenAs !== undefined,
            target: 'quoted',
            actions: [
              assign({ quote: ({ event }) => (event.output.ok ? event.output.quote : null) }),
              reply(({ event }: { event: { output: QuoteResult & { ok: true } } }) => ({ kind: 'text', msg: { key: `charge-reading-taken-${event.output.quote.takenAs}`, vars: { pay: event.output.quote.fromText, get: event.output.quote.toText } } })),
            ],
          },
          { guard: ({ event }) => event.output.ok, target: 'quoted', actions: assign({ quote: ({ event }) => (event.output.ok ? event.output.quote : null) }) },
          { guard: ({ event }) => !event.output.ok && event.output.code === 'CHARGE.WHICH_READING', target: 'reading', actions: assign({ readings: ({ event }) => (event.output.ok ? null : event.output.vars) }) },
          {
            guard: ({ event }) => !event.output.ok && FINAL_CODES.includes(event.output.code),
            target: 'done',
            actions: reply(({ event }: { event: { output: QuoteResult & { ok: false } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars } })),
          },
          {
            // Refused by a limit, but the other reading of the number fits: say so, and ask again.
            guard: ({ event }) => !event.output.ok && event.output.vars.otherTyped !== undefined,
            target: 'amount',
            actions: [
              reply(({ event }: { event: { output: QuoteResult & { ok: false } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars } })),
              reply(({ event }: { event: { output: QuoteResult & { ok: false } } }) => ({ kind: 'text', msg: { key: 'charge-other-reading-fits', vars: event.output.vars } })),
            ],
          },
          {
            // Wrong amount: say what is expected (with an example) and ask again.
            target: 'amount',
            actions: reply(({ event }: { event: { output: QuoteResult & { ok: false } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars } })),
          },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    /** A bare number fits both ways: [Pay 10,000 JPY → get 65.66 USD] / [Get 10,000 USD]; typing a new amount works too. */
    reading: {
      tags: ['prompt:amount'],
      entry: reply<ChargeContext, UserEvent>(({ context }) => {
        const v = context.readings!;
        return {
          kind: 'text',
          msg: { key: 'charge-which-reading', vars: { pay: v.payPay!, get: v.getGet! } },
          buttons: [[button('charge-btn-reading-pay', AS_PAY, { pay: v.payPay!, get: v.payGet! })], [button('charge-btn-reading-get', AS_GET, { pay: v.getPay!, get: v.getGet! })], [button('btn-cancel', CANCEL)]],
        };
      }),
      on: {
        button: [
          cancelled,
          { guard: ({ event }) => event.value === AS_PAY || event.value === AS_GET, target: 'quoting', actions: assign({ amountText: ({ context, event }) => (event.value === AS_PAY ? context.readings!.payTyped! : context.readings!.getTyped!), readings: null }) },
        ],
        text: { target: 'quoting', actions: assign({ amountText: ({ event }) => event.text.slice(0, 40), readings: null }) },
      },
    },
    quoted: {
      entry: reply<ChargeContext, UserEvent>(({ context }) => {
        const q = context.quote!;
        return {
          kind: 'text',
          msg: { key: q.from === q.to ? 'charge-quote-same' : 'charge-quote', vars: { last4: context.card!.last4, pay: q.fromText, get: q.toText, fee: q.feeText, rate: q.rateText, minutes: q.validMinutes, until: q.expiresText } },
          buttons: [[button('charge-btn-confirm', CONFIRM), button('charge-btn-change', CHANGE), button('btn-cancel', CANCEL)]],
        };
      }),
      on: {
        button: [
          cancelled,
          { guard: ({ event }) => event.value === CHANGE, target: 'from' },
          { guard: ({ context, event }) => event.value === CONFIRM && context.quote !== null && event.at >= context.quote.expiresAt, target: 'quoting', actions: say('charge-quote-expired') },
          { guard: ({ event }) => event.value === CONFIRM, target: 'confirming' },
        ],
        // Show the quote and its buttons again: a reply without buttons would expire them.
        text: { target: 'quoted', reenter: true, actions: say('charge-use-buttons') },
      },
    },
    confirming: {
      invoke: {
        src: 'confirm',
        input: ({ context }) => ({ memberId: context.memberId, quoteId: context.quote!.quoteId, chatKey: context.chatKey, lang: context.lang }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'done',
            actions: [
              assign({ reference: ({ event }) => (event.output.ok ? event.output.reference : null) }),
              reply(({ event }: { event: { output: ConfirmResult & { ok: true } } }) => ({ kind: 'text', msg: { key: 'charge-received', vars: { reference: event.output.reference, pay: event.output.fromText, get: event.output.toText } } })),
              reply(({ event }: { event: { output: ConfirmResult & { ok: true } } }) => ({ kind: 'text', msg: { key: event.output.payKey, vars: event.output.payVars } })),
            ],
          },
          { guard: ({ event }) => !event.output.ok && event.output.code === 'CHARGE.QUOTE_EXPIRED', target: 'quoting', actions: say('charge-quote-expired') },
          {
            guard: ({ event }) => !event.output.ok && FINAL_CODES.includes(event.output.code),
            target: 'done',
            actions: reply(({ event }: { event: { output: ConfirmResult & { ok: false } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars } })),
          },
          {
            target: 'amount',
            actions: reply(({ event }: { event: { output: ConfirmResult & { ok: false } } }) => ({ kind: 'text', msg: { key: errorKey(event.output.code), vars: event.output.vars } })),
          },
        ],
        onError: { target: 'done', actions: say('error-generic') },
      },
    },
    done: { type: 'final' },
  },
  output: () => ({}),
});
