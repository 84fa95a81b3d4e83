import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChannelName } from '../../src/testkit/format.js';
import { loadScripts } from '../../src/testkit/parse.js';
import { formatResult } from '../../src/testkit/report.js';
import { runScript } from '../../src/testkit/runner.js';
import type { Isolation } from '../../src/testkit/world.js';

const DIR = new URL('.', import.meta.url).pathname;

/** Every script file under test/conversations, sorted. */
export const SCRIPT_FILES = readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();

/** Registers one vitest test per script (that is meant for this channel), run on `channel` with `isolation`. */
export function conversationSuite(channel: ChannelName, isolation: Isolation): void {
  for (const file of SCRIPT_FILES) {
    const scripts = loadScripts(join(DIR, file)).filter((s) => s.channels.includes(channel));
    // A file whose scripts all need another channel (media have no console) registers nothing here.
    if (scripts.length === 0) continue;
    describe(file, () => {
      for (const script of scripts) {
        it(`${script.name} [${channel}]`, async () => {
          const r = await runScript(script, { channel, isolation });
          expect(r.status, formatResult(r)).toBe('passed');
        });
      }
    });
  }
}
