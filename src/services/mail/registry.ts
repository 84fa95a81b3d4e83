/**
 * The registry of e-mail templates. A template's words live in the Fluent catalogues as
 * `mail-<name>-subject` and `mail-<name>-text` (both `en` and `ja`); its entry here names the
 * variables it needs, so a missing one is caught when rendering, not by a customer.
 *
 * Adding templates (one file per area, e.g. `templates/cards.ts`, plus `src/i18n/{en,ja}/<area>.ftl`):
 * ```ts
 * import { defineMailTemplate } from '../registry.js';
 *
 * declare module '../registry.js' {
 *   interface MailTemplateVars {
 *     'card-enrolled': { name: string; last4: string };
 *   }
 * }
 * defineMailTemplate({ name: 'card-enrolled', vars: ['name', 'last4'] });
 * ```
 * then add `import './cards.js';` to `templates/index.ts`. See `templates/system.ts` for a complete one.
 */

/** Variables of each template by name. Template files add their entries by declaration merging. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MailTemplateVars {}

/** A registered template's name. */
export type MailTemplateName = keyof MailTemplateVars & string;

/** What a template declares. */
export interface MailTemplateDef {
  name: string;
  /** Variables its messages use; rendering refuses to go without them. */
  vars: readonly string[];
  /** Variables shown prominently in the HTML part (codes): large monospace. */
  highlight?: readonly string[];
  /** Append the common `mail-footer` message (default true). */
  footer?: boolean;
}

/** A template problem (unknown name, missing variable or catalogue message): a programming error. */
export class MailTemplateError extends Error {
  constructor(
    readonly code: 'MAIL.UNKNOWN_TEMPLATE' | 'MAIL.MISSING_VAR' | 'MAIL.MISSING_MESSAGE',
    message: string,
  ) {
    super(message);
  }
}

const registry = new Map<string, MailTemplateDef>();

/** Registers a template (call once, at import time of its area file). */
export function defineMailTemplate<K extends MailTemplateName>(def: { name: K; vars: readonly (keyof MailTemplateVars[K] & string)[]; highlight?: readonly (keyof MailTemplateVars[K] & string)[]; footer?: boolean }): void {
  if (registry.has(def.name)) throw new MailTemplateError('MAIL.UNKNOWN_TEMPLATE', `mail template ${def.name} defined twice`);
  registry.set(def.name, def);
}

/** A registered template, or undefined. */
export function mailTemplate(name: string): MailTemplateDef | undefined {
  return registry.get(name);
}

/** Every registered template (tests check each renders in every language). */
export function mailTemplates(): MailTemplateDef[] {
  return [...registry.values()];
}
