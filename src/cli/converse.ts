import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import { CHANNELS, type ChannelName } from '../converse/format.js';
import { formatResult, formatSummary, toJUnit, toJson } from '../converse/report.js';
import { runFiles, type ScriptResult } from '../converse/runner.js';
import { CliError } from './io.js';
import { registerCommands } from './program.js';

/** Script files named on the command line; a folder stands for every .yaml/.yml file under it. */
export function expandScriptPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CliError(`${p}: no such file or folder`);
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

registerCommands((program, ctx) => {
  program
    .command('converse')
    .description('run conversation scripts (YAML) and report each; exits non-zero when any fails')
    .argument('<files...>', 'script files or folders of scripts')
    .addOption(new Option('--channel <channel>', 'channel to run on').choices([...CHANNELS]).default('inprocess'))
    .option('--junit <file>', 'also write a JUnit XML report to this file')
    .option('--name <name>', 'run only the script with this name')
    .option('--json', 'machine-readable output')
    .action(async (files: string[], o: { channel: ChannelName; junit?: string; name?: string; json?: boolean }) => {
      const paths = expandScriptPaths(files);
      if (!paths.length) throw new CliError('no script files found');
      let results: ScriptResult[];
      try {
        results = await runFiles(paths, { channel: o.channel, ...(o.name ? { name: o.name } : {}) });
      } catch (err) {
        throw new CliError((err as Error).message.split('\n')[0]!);
      }
      if (o.json) ctx.io.out(toJson(results));
      else {
        for (const r of results) ctx.io.out(formatResult(r));
        ctx.io.out(formatSummary(results));
      }
      if (o.junit) writeFileSync(o.junit, toJUnit(results));
      const failed = results.filter((r) => r.status === 'failed').length;
      if (failed) throw new CliError(`${failed} of ${results.length} conversation scripts failed`);
      if (!results.some((r) => r.status === 'passed')) throw new CliError('no script ran (all skipped or none matched)');
    });
});
