import { assign, emit, setup, type AnyStateMachine } from 'xstate';
import { menuButtons, type MenuItem } from './dashboard/menu.js';
import { quickAction, type Button, type FlowOutput, type InboundEvent, type Lang, type NoticeEvent } from './shared/protocol.js';
import { flowState, whereNow } from './root-flow-state.js';
import type { ClockEvent, FlowEntry, RootContext, RootInput, SessionEvent } from './root-types.js';
import { LANGS } from './shared/protocol.js';
import { button, msg, replyEvent } from './shared/say.js';

export type { FlowEntry, RootInput, RootContext, ClockEvent, SessionEvent } from './root-types.js';

/** Raised once a flow has been handed its start argument, so the root forgets it (it may be a secret). */
type ArgTakenEvent = { type: 'arg taken' };
type RootEvent = InboundEvent | ClockEvent | SessionEvent | ArgTakenEvent;

/** Builds the per-chat root machine from the flow registry. */
export function createRootMachine(flows: readonly FlowEntry[]) {
  const byId = new Map(flows.map((f) => [f.id, f]));
  const items: MenuItem[] = flows.filter((f) => f.menu).map((f) => ({ flow: f.id, ...f.menu! }));
  const deepLinks = flows.filter((f) => f.deepLinkPrefix);
  const commandOwner = (name: string) => flows.find((f) => f.commands?.includes(name));
  // Help shown from the dashboard offers the flows that ask for it, and the way back.
  const helpRows: Button[][] = flows.filter((f) => f.helpLabel).map((f) => [button(f.helpLabel!, `flow:${f.id}`)]);
  const helpButtons = helpRows.length ? [...helpRows, [button('btn-menu', 'do:menu')]] : undefined;
  const helpReply = (withButtons: boolean) => replyEvent({ kind: 'text', msg: msg('help'), ...(withButtons && helpButtons ? { buttons: helpButtons, nav: true } : {}) });

  const sessionExpired = (c: RootContext, at: number) =>
    c.session !== null && (at - c.session.lastSeenAt > c.sessionIdleMs || at - c.session.startedAt > c.sessionMaxMs);

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const showMenu: any = emit(({ context }: { context: RootContext }) =>
    replyEvent({
      kind: 'text',
      msg: msg(context.session ? 'menu-member' : 'menu-guest', context.session ? { username: context.session.username } : undefined),
      buttons: menuButtons(items, context.session !== null),
      nav: true,
    }),
  );

  /** Where a request to start flow `id` really leads, given who is logged in. */
  const route = (c: RootContext, id: string, arg: string | null) => {
    const f = byId.get(id);
    if (!f) return { kind: 'unknown' as const };
    if (f.requiresLogin && !c.session) return { kind: 'login-first' as const, after: id };
    if (f.guestOnly && c.session) return { kind: 'already-member' as const };
    return { kind: 'start' as const, id, arg };
  };

  /** A notice's quick action (`go:<flow>[:<arg>]`), pressed now or much later: starts that flow as its command would. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const quickStart: any = {
    guard: ({ event }: { event: { value: string } }) => quickAction(event.value) !== null,
    target: '#root.starting',
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    actions: assign(({ context, event, self }: any) => {
      const q = quickAction((event as { value: string }).value)!;
      return { current: q.flow, arg: q.arg, after: null, from: whereNow(context as RootContext, self) };
    }),
  };
  const noticeReply = (e: NoticeEvent) => replyEvent({ kind: 'text', msg: e.msg, ...(e.buttons?.length ? { buttons: e.buttons } : {}) });

  /** What the dashboard (and a new chat, before it saw the dashboard) does with buttons and text. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const menuHandlers: any = {
    button: [
      quickStart,
      {
        guard: ({ event }: { event: { value: string } }) => event.value.startsWith('flow:'),
        target: 'starting',
        actions: assign(({ event }: { event: { value: string } }) => ({ current: event.value.slice(5), arg: null, from: 'menu' })),
      },
      {
        guard: ({ event }: { event: { value: string } }) => event.value.startsWith('lang:'),
        target: 'menu',
        reenter: true,
        actions: [
          assign({ lang: ({ event }: { event: { value: string } }) => event.value.slice(5) as Lang }),
          emit(replyEvent({ kind: 'text', msg: msg('language-set') })),
        ],
      },
      { guard: ({ event }: { event: { value: string } }) => event.value === 'do:help', actions: emit(helpReply(true)) },
      {
        guard: ({ event }: { event: { value: string } }) => event.value === 'do:language',
        actions: emit(replyEvent({ kind: 'text', msg: msg('language-choose'), buttons: [[button('language-en', 'lang:en'), button('language-ja', 'lang:ja')]], nav: true })),
      },
      {
        guard: ({ event }: { event: { value: string } }) => event.value === 'do:logout',
        target: 'menu',
        reenter: true,
        actions: [
          emit(({ context }: { context: RootContext }) => replyEvent({ kind: 'text', msg: msg(context.session ? 'logged-out' : 'not-logged-in') })),
          assign({ session: null, after: null, current: null }),
        ],
      },
      { target: 'menu', reenter: true },
    ],
    text: { target: 'menu', reenter: true, actions: emit(replyEvent({ kind: 'text', msg: msg('not-understood') })) },
    media: { target: 'menu', reenter: true, actions: emit(({ event }) => replyEvent({ kind: 'text', msg: msg('media-menu', { media: (event as unknown as { media: string }).media }) })) },
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const flowStates: Record<string, any> = Object.fromEntries(flows.map((f) => [f.id, flowState(f)]));

  return setup({
    types: {} as { context: RootContext; events: RootEvent; input: RootInput },
    actors: Object.fromEntries(flows.map((f) => [f.id, f.machine])) as Record<string, AnyStateMachine>,
    actions: {
      'apply output': assign(({ context, event }) => {
        const out = ((event as { output?: FlowOutput }).output ?? {}) as FlowOutput;
        const next: Partial<RootContext> = { current: null, arg: null, from: null };
        if (out.session !== undefined) next.session = out.session;
        if (out.lang) next.lang = out.lang;
        if (out.next) {
          next.current = out.next;
          next.arg = out.nextArg ?? null;
        } else if (out.session && context.after) {
          next.current = context.after;
          next.arg = context.afterArg ?? null;
          next.after = null;
          next.afterArg = null;
        }
        return next;
      }),
      'say failure': emit(replyEvent({ kind: 'text', msg: msg('error-generic') })),
    },
    guards: {},
  }).createMachine({
    id: 'root',
    context: ({ input }) => ({ ...input, session: null, after: null, current: null, arg: null, now: 0, from: null }),
    initial: 'boot',
    on: {
      session: { actions: assign({ session: ({ event }) => event.session }) },
      clock: [
        {
          guard: ({ context, event }) => sessionExpired(context, event.at),
          target: '.boot',
          reenter: true,
          actions: [
            assign({ session: null, after: null, now: ({ event }) => event.at }),
            emit(replyEvent({ kind: 'text', msg: msg('session-expired') })),
          ],
        },
        {
          actions: assign(({ context, event }) => ({
            now: event.at,
            session: context.session ? { ...context.session, lastSeenAt: event.at } : null,
          })),
        },
      ],
      notice: [
        {
          guard: ({ event }) => event.endSession === true,
          target: '.menu',
          actions: [emit(({ event }) => replyEvent({ kind: 'text', msg: event.msg })), assign({ session: null, after: null })],
        },
        { actions: emit(({ event }) => noticeReply(event)) },
      ],
      button: quickStart,
      command: [
        {
          guard: ({ event }) => event.name === 'cancel',
          target: '.menu',
          actions: [
            assign({ after: null }),
            emit(({ context }) => replyEvent({ kind: 'text', msg: msg(context.current ? 'cancelled' : 'nothing-to-cancel') })),
            assign({ current: null }),
          ],
        },
        { guard: ({ event }) => event.name === 'menu', target: '.menu', actions: assign({ after: null, current: null }) },
        {
          guard: ({ event }) => event.name === 'help',
          actions: emit(({ context }) => helpReply(context.current === null)),
        },
        {
          guard: ({ event }) => event.name === 'logout',
          target: '.menu',
          actions: [
            emit(({ context }) => replyEvent({ kind: 'text', msg: msg(context.session ? 'logged-out' : 'not-logged-in') })),
            assign({ session: null, after: null, current: null }),
          ],
        },
        {
          guard: ({ event }) => event.name === 'language' && (LANGS as string[]).includes(event.arg.trim().toLowerCase()),
          actions: [
            assign({ lang: ({ event }) => (event as { arg: string }).arg.trim().toLowerCase() as Lang }),
            emit(replyEvent({ kind: 'text', msg: msg('language-set') })),
          ],
        },
        {
          guard: ({ event }) => event.name === 'language',
          // An aside: the picker's buttons join the screen above (a flow's step or the dashboard), which keeps working.
          actions: emit(replyEvent({
            kind: 'text',
            msg: msg('language-choose'),
            buttons: [[button('language-en', 'lang:en'), button('language-ja', 'lang:ja')]], nav: true, aside: true,
          })),
        },
        {
          guard: ({ event }) => event.name === 'start' && deepLinks.some((f) => event.arg.startsWith(f.deepLinkPrefix!)),
          target: '.starting',
          actions: assign(({ event }) => {
            const arg = (event as { arg: string }).arg;
            const f = deepLinks.find((d) => arg.startsWith(d.deepLinkPrefix!))!;
            return { current: f.id, arg: arg.slice(f.deepLinkPrefix!.length), after: null };
          }),
        },
        {
          guard: ({ event }) => event.name === 'start',
          target: '.menu',
          actions: [emit(replyEvent({ kind: 'text', msg: msg('welcome') })), assign({ current: null, after: null })],
        },
        {
          guard: ({ event }) => byId.has(event.name),
          target: '.starting',
          actions: assign(({ context, event, self }) => ({ current: (event as { name: string }).name, arg: null, from: whereNow(context, self) })),
        },
        {
          guard: ({ event }) => commandOwner(event.name) !== undefined,
          target: '.starting',
          actions: assign(({ context, event, self }) => ({ current: commandOwner((event as { name: string }).name)!.id, arg: (event as { name: string }).name, from: whereNow(context, self) })),
        },
        { actions: emit(replyEvent({ kind: 'text', msg: msg('unknown-command') })) },
      ],
    },
    states: {
      /** A new chat, before anything was shown: like the menu, without repeating it. */
      boot: { on: menuHandlers },
      menu: { entry: showMenu, on: menuHandlers },
      /** Decides what a request to start `current` leads to (log-in first, refusal, or the flow). */
      starting: {
        always: [
          ...flows.map((f) => ({
            guard: ({ context }: { context: RootContext }) =>
              context.current === f.id && route(context, f.id, context.arg).kind === 'start',
            target: f.id,
          })),
          {
            guard: ({ context }: { context: RootContext }) => context.current !== null && route(context, context.current, null).kind === 'login-first',
            target: 'login',
            actions: [
              emit(replyEvent({ kind: 'text', msg: msg('login-required') })),
              // The argument comes back after the log-in (a deep link's token is never kept: no such flow needs a log-in).
              assign(({ context }: { context: RootContext }) => ({ after: context.current, afterArg: byId.get(context.current!)?.deepLinkPrefix ? null : context.arg, current: 'login', arg: null })),
            ],
          },
          {
            guard: ({ context }: { context: RootContext }) => context.current !== null && route(context, context.current, null).kind === 'already-member',
            target: 'menu',
            actions: [emit(replyEvent({ kind: 'text', msg: msg('already-logged-in') })), assign({ current: null })],
          },
          { target: 'menu', actions: assign({ current: null, arg: null }) },
        ],
      },
      /** After a flow: start the next one, or show the menu. */
      finish: {
        always: [{ guard: ({ context }) => context.current !== null, target: 'starting' }, { target: 'menu' }],
      },
      ...(byId.has('login') ? {} : { login: { always: 'menu' } }),
      ...flowStates,
    },
  });
}

export type RootMachine = ReturnType<typeof createRootMachine>;
