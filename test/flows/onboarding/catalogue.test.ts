import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../../src/i18n/i18n.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const FLOW_DIRS = ['flows/signup', 'flows/activation', 'flows/login', 'flows/password'];

/** Message keys written literally in the onboarding flows (say('…'), key: '…', button('…')). */
function literalKeys(): string[] {
  const keys = new Set<string>();
  for (const dir of FLOW_DIRS) {
    for (const f of readdirSync(join(ROOT, dir)).filter((x) => x.endsWith('.ts'))) {
      const src = readFileSync(join(ROOT, dir, f), 'utf8');
      for (const m of src.matchAll(/(?:say|button|question)\(\s*'([a-z][a-z0-9-]+)'/g)) keys.add(m[1]!);
      for (const m of src.matchAll(/key: '([a-z][a-z0-9-]+)'/g)) keys.add(m[1]!);
      for (const m of src.matchAll(/confirm: '([a-z][a-z0-9-]+)'/g)) keys.add(m[1]!);
    }
  }
  return [...keys];
}

/** Keys the flows build from a reason (`signup-username-${problem}` …), every reason listed. */
const BUILT = [
  ...['empty', 'email', 'length', 'chars'].map((p) => `signup-username-${p}`),
  ...['empty', 'invalid'].map((p) => `signup-email-${p}`),
  ...['empty', 'length', 'chars'].map((p) => `signup-name-${p}`),
  ...['too-short', 'too-long', 'common', 'contains-username'].map((p) => `onb-password-${p}`),
  ...['wrong', 'older', 'expired', 'used', 'too-many', 'unreadable'].map((p) => `onb-code-${p}`),
  'session-ended-elsewhere',
  'session-ended-password',
  ...['signup', 'login', 'activate', 'forgot-password', 'forgot-username', 'change-password'].map((m) => `menu-${m}`),
];

describe('onboarding catalogue', () => {
  const cat = new Catalogue();
  it('has every message the onboarding flows say, in English and Japanese', () => {
    const keys = [...literalKeys(), ...BUILT];
    expect(keys.length).toBeGreaterThan(60);
    for (const lang of ['en', 'ja'] as const) {
      const missing = keys.filter((k) => !cat.has(lang, k));
      expect(missing, `missing in ${lang}`).toEqual([]);
    }
  });
});
