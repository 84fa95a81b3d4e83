import { describe, expect, it } from 'vitest';
import { escapeHtml, mailMessage, mailTemplates, MailTemplateError, renderMail, type MailTemplateName } from '../../src/services/mail/templates.js';

describe('mail templates', () => {
  it('renders subject, text with footer, and HTML in English and Japanese', () => {
    const en = renderMail('test-mail', 'en', { sentAt: '2026-11-28 14:00', reference: 'K7Q2' });
    expect(en.subject).toBe('[OMNIPAY Test E-mail] Delivery check');
    expect(en.text).toContain('queued at 2026-11-28 14:00');
    expect(en.text).toContain('Please do not reply');
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toMatch(/<strong[^>]*>K7Q2<\/strong>/);
    const ja = renderMail('test-mail', 'ja', { sentAt: '2026-11-28 14:00', reference: 'K7Q2' });
    expect(ja.subject).toBe('【OMNIPAY テストメール】配信確認');
    expect(ja.text).toContain('参照番号: K7Q2');
    expect(ja.text).toContain('返信できません');
    expect(mailMessage('test-mail', 'en', 'a@example.com', { sentAt: 'x', reference: 'y' })).toMatchObject({ to: 'a@example.com', template: 'test-mail', subject: en.subject });
  });

  it('escapes every value and piece of text in the HTML part', () => {
    const evil = `<script>alert("x")</script> & 'q'`;
    const m = renderMail('test-mail', 'en', { sentAt: evil, reference: '<b>R&D</b>' });
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>R&D</b>');
    expect(m.html).toContain(escapeHtml(evil));
    expect(m.html).toContain('&lt;b&gt;R&amp;D&lt;/b&gt;');
    expect(m.text).toContain(evil); // the plain-text part is as written
  });

  it('makes links clickable without letting a value break out of the attribute', () => {
    const m = renderMail('test-mail', 'en', { sentAt: 'see https://t.me/omnipay_bot?start=act_AbC-123. ok', reference: 'https://e.x/"onmouseover="x' });
    expect(m.html).toContain('<a href="https://t.me/omnipay_bot?start=act_AbC-123">https://t.me/omnipay_bot?start=act_AbC-123</a>.');
    expect(m.html).not.toContain('"onmouseover="');
  });

  it('refuses an unknown template or a missing variable', () => {
    expect(() => renderMail('nope' as MailTemplateName, 'en', {} as never)).toThrow(MailTemplateError);
    try {
      renderMail('test-mail', 'en', { sentAt: 'x' } as never);
      expect.unreachable();
    } catch (err) {
      expect((err as MailTemplateError).code).toBe('MAIL.MISSING_VAR');
    }
  });

  it('every registered template renders in both languages with a one-line subject', () => {
    expect(mailTemplates().length).toBeGreaterThan(0);
    for (const t of mailTemplates()) {
      const vars = Object.fromEntries(t.vars.map((v) => [v, `v-${v}`]));
      for (const lang of ['en', 'ja'] as const) {
        const m = renderMail(t.name as MailTemplateName, lang, vars as never);
        expect(m.subject, `${t.name}/${lang}`).toMatch(/^\S.*\S$/);
        expect(m.subject).not.toContain('\n');
        expect(m.text.length, `${t.name}/${lang}`).toBeGreaterThan(20);
        expect(m.html).toContain('</html>');
      }
    }
  });
});
