import type { Lang } from '../../../flows/shared/protocol.js';
import { Catalogue } from '../../i18n/i18n.js';
import type { MailMessage } from './message.js';
import { MailTemplateError, mailTemplate, type MailTemplateName, type MailTemplateVars } from './registry.js';
import './templates/index.js';

export { defineMailTemplate, mailTemplates, MailTemplateError, type MailTemplateVars, type MailTemplateName } from './registry.js';

/** A rendered e-mail: one-line subject, plain text, and HTML made from the same words (escaped). */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

let catalogue: Catalogue | undefined;
/** The catalogues, read once. */
function cat(): Catalogue {
  return (catalogue ??= new Catalogue());
}

/**
 * Renders a registered template in `lang`: `mail-<template>-subject` and `mail-<template>-text`
 * from the Fluent catalogues with `vars`, the common footer, and an HTML part in which every piece
 * of text and every value is HTML-escaped (links made clickable, highlighted values enlarged).
 * Throws {@link MailTemplateError} for an unknown template, a missing variable or message.
 * @example
 * const mail = renderMail('test-mail', 'ja', { sentAt: '2026-11-28 14:00', reference: 'K7Q2' });
 * await db.tx((tx) => enqueueMail(tx, { to, ...mail, template: 'test-mail' }));
 */
export function renderMail<K extends MailTemplateName>(template: K, lang: Lang, vars: MailTemplateVars[K]): RenderedMail {
  const def = mailTemplate(template);
  if (!def) throw new MailTemplateError('MAIL.UNKNOWN_TEMPLATE', `unknown mail template ${template}`);
  const values = vars as Record<string, string | number>;
  for (const v of def.vars) {
    if (values[v] === undefined || values[v] === null) throw new MailTemplateError('MAIL.MISSING_VAR', `mail template ${template}: variable ${v} missing`);
  }
  const c = cat();
  const message = (key: string) => {
    if (!c.has(lang, key)) throw new MailTemplateError('MAIL.MISSING_MESSAGE', `mail template ${template}: no message ${key} in ${lang}`);
    return c.render(lang, { key, vars: values });
  };
  // A subject is one header line.
  const subject = message(`mail-${template}-subject`).replace(/\s+/g, ' ').trim();
  const body = message(`mail-${template}-text`).trim();
  const footer = def.footer === false ? '' : message('mail-footer').trim();
  const text = footer ? `${body}\n\n${footer}\n` : `${body}\n`;
  const highlights = (def.highlight ?? []).map((h) => String(values[h])).filter((s) => s.length > 0);
  return { subject, text, html: toHtml(subject, body, footer, highlights, lang) };
}

/** {@link renderMail} shaped for `enqueueMail`. */
export function mailMessage<K extends MailTemplateName>(template: K, lang: Lang, to: string, vars: MailTemplateVars[K]): MailMessage {
  return { to, template, ...renderMail(template, lang, vars) };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const URL_SOURCE = String.raw`https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]`;

/** Paragraphs of escaped text; URLs become links and highlighted values stand out. */
function paragraphsHtml(text: string, highlights: string[]): string {
  const alternatives = [URL_SOURCE, ...highlights.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))];
  return text
    .split(/\n\s*\n/)
    .map((para) => {
      const re = new RegExp(alternatives.map((a) => `(${a})`).join('|'), 'g');
      let out = '';
      let last = 0;
      for (const m of para.matchAll(re)) {
        out += escapeHtml(para.slice(last, m.index));
        const s = escapeHtml(m[0]);
        out += m[1] ? `<a href="${s}">${s}</a>` : `<strong style="font-family:monospace;font-size:1.4em;letter-spacing:0.1em">${s}</strong>`;
        last = m.index + m[0].length;
      }
      out += escapeHtml(para.slice(last));
      return `<p>${out.replace(/\n/g, '<br>\n')}</p>`;
    })
    .join('\n');
}

function toHtml(subject: string, body: string, footer: string, highlights: string[], lang: Lang): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;color:#222">',
    paragraphsHtml(body, highlights),
    footer ? `<hr>\n<div style="color:#777;font-size:0.9em">${paragraphsHtml(footer, [])}</div>` : '',
    '</body></html>',
    '',
  ].join('\n');
}
