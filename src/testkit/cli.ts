import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatResult, formatSummary, toJUnit, toJson } from './report.js';
import { runFiles, type ScriptResult } from './runner.js';
import type { ChannelName } from './format.js';

/** A problem with the command line or the scripts' outcome: one line, a non-zero exit. */
export class ConverseCliError extends Error {
  readonly code = 'CONVERSE.CLI';
}

/** Script files named on the command line; a folder stands for every .yaml/.yml file under it. */
export function expandScriptPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ConverseCliError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) {
      const entries = readdirSync(p, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();
      out.push(...entries.map((f) => join(p, f)));
    } else {
      out.push(p);
    }
  }
  return out;
}

/** `omnipay converse`: runs the scripts, prints a report (or JSON), writes JUnit; throws when any failed. */
export async function converseCommand(files: string[], o: { channel: ChannelName; junit?: string; name?: string; json?: boolean }, out: (s: string) => void): Promise<void> {
  const paths = expandScriptPaths(files);
  if (!paths.length) throw new ConverseCliError('no script files found');
  let results: ScriptResult[];
  try {
    results = await runFiles(paths, { channel: o.channel, ...(o.name ? { name: o.name } : {}) });
  } catch (err) {
    throw new ConverseCliError((err as Error).message.split('\n')[0]!);
  }
  if (o.json) out(toJson(results));
  else {
    for (const r of results) out(formatResult(r));
    out(formatSummary(results));
  }
  if (o.junit) writeFileSync(o.junit, toJUnit(results));
  const failed = results.filter((r) => r.status === 'failed').length;
  if (failed) throw new ConverseCliError(`${failed} of ${results.length} conversation scripts failed`);
  if (!results.some((r) => r.status === 'passed')) throw new ConverseCliError('no script ran (all skipped or none matched)');
}
