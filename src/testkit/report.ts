import type { ScriptResult } from './runner.js';

/** How much transcript a failure report shows (the lines just before the failure). */
const TRANSCRIPT_TAIL = 40;

/** One script's result as text: a line when it passed, the first difference and the transcript when not. */
export function formatResult(r: ScriptResult): string {
  const head = `${r.status === 'passed' ? '✓' : r.status === 'skipped' ? '-' : '✗'} ${r.name}  [${r.channel}]  ${r.file}`;
  if (r.status === 'passed') return `${head}  (${r.totalSteps} steps, ${r.ms} ms)`;
  if (r.status === 'skipped') return `${head}  (skipped: ${r.skipReason})`;
  const f = r.failure!;
  const lines = [head, `  step ${f.step}${f.line ? ` (line ${f.line})` : ''} ${f.kind}: ${f.message}`];
  if (f.expected !== undefined) lines.push(`    expected: ${f.expected}`);
  if (f.actual !== undefined) lines.push(`    actual:   ${f.actual}`);
  const tail = r.transcript.slice(-TRANSCRIPT_TAIL);
  lines.push(`  transcript${r.transcript.length > tail.length ? ` (last ${tail.length} lines)` : ''}:`);
  for (const l of tail) lines.push(`    ${l.replace(/\n/g, '\n    ')}`);
  return lines.join('\n');
}

/** A summary line: how many passed, failed and were skipped. */
export function formatSummary(results: ScriptResult[]): string {
  const n = (s: ScriptResult['status']) => results.filter((r) => r.status === s).length;
  return `${results.length} script runs: ${n('passed')} passed, ${n('failed')} failed, ${n('skipped')} skipped`;
}

function xml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML for CI: one test suite per channel, one test case per script. */
export function toJUnit(results: ScriptResult[]): string {
  const byChannel = new Map<string, ScriptResult[]>();
  for (const r of results) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="conversation scripts" tests="${results.length}" failures="${results.filter((r) => r.status === 'failed').length}">`];
  for (const [channel, rs] of byChannel) {
    const time = rs.reduce((t, r) => t + r.ms, 0) / 1000;
    out.push(`  <testsuite name="converse.${xml(channel)}" tests="${rs.length}" failures="${rs.filter((r) => r.status === 'failed').length}" skipped="${rs.filter((r) => r.status === 'skipped').length}" time="${time.toFixed(3)}">`);
    for (const r of rs) {
      out.push(`    <testcase classname="${xml(r.file)}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}">`);
      if (r.status === 'failed') {
        const f = r.failure!;
        out.push(`      <failure message="${xml(`step ${f.step} ${f.kind}: ${f.message}`)}" type="${xml(f.kind)}">${xml(formatResult(r))}</failure>`);
      } else if (r.status === 'skipped') {
        out.push(`      <skipped message="${xml(r.skipReason ?? '')}"/>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** Results as JSON (for `--json`). */
export function toJson(results: ScriptResult[]): string {
  return JSON.stringify({
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    results: results.map((r) => ({ name: r.name, file: r.file, channel: r.channel, status: r.status, ms: r.ms, steps: r.totalSteps, ...(r.failure ? { failure: r.failure, transcript: r.transcript } : {}), ...(r.skipReason ? { skipReason: r.skipReason } : {}) })),
  });
}
