import { createRootMachine, flowRegistry, type FlowEntry } from '../../flows/index.js';
import { fromPromise } from 'xstate';
import { captchaMachine } from '../../flows/shared/captcha.js';
import type { Services } from './services.js';
import { cardFlowActors, chooseCardActor } from '../services/cards/actors.js';
import { onboardingActors } from '../services/members/flow-actors.js';
import { moneyFlowActors } from '../services/charges/flow-actors.js';
import { supportFlowActors } from '../services/support/flow-actors.js';

/** Side-effect implementations of each flow, by flow id (actor name → implementation). */
export type FlowActors = Record<string, Record<string, unknown>>;

/** The actors each flow needs, built from the services. */
export function flowActors(services: Services): FlowActors {
  return {
    ...cardFlowActors(services.cards),
    ...onboardingActors(services.members, services.deps.store),
    ...moneyFlowActors(services.money, services.deps.db),
    ...supportFlowActors(services.support),
  };
}

/**
 * The CAPTCHA sub-flow with its side effects provided by `services.captcha`. A parent flow that
 * embeds `captchaStep(...)` declares `actors: { captcha: captchaMachine }` in its setup;
 * {@link buildRootMachine} already provides this one as `captcha` to every flow (registered or
 * extra), so nothing else is needed. Outside the root (a unit test of one flow):
 * ```ts
 * machine.provide({ actors: { captcha: provideCaptcha(services), 'check password': fromPromise(...) } })
 * ```
 */
export function provideCaptcha(services: Services) {
  return captchaMachine.provide({
    actors: {
      'new captcha': fromPromise(({ input }: { input: { chatKey: string } }) => services.captcha.issue(input.chatKey)),
      'check captcha': fromPromise(({ input }: { input: { chatKey: string; answer: string } }) => services.captcha.check(input.chatKey, input.answer)),
    },
  });
}

/** The root machine with every flow's side effects provided. */
export function buildRootMachine(services: Services, extra: FlowEntry[] = []) {
  const actors = flowActors(services);
  const captcha = provideCaptcha(services);
  // Likewise the card chooser: a flow that embeds chooseCardStep() needs nothing more.
  const chooser = chooseCardActor(services.cards);
  const entries = [...flowRegistry, ...extra].map((f) => {
    const impl = actors[f.id];
    // Every flow gets the real CAPTCHA sub-flow: one that embeds captchaStep() needs nothing more.
    return { ...f, machine: f.machine.provide({ actors: { captcha: captcha, 'choose card': chooser, ...(impl ?? {}) } as never }) };
  });
  return createRootMachine(entries);
}
