import type { App } from '../app/app.js';
import type { ControlResult } from '../infra/control.js';
import './operator.js';
import { runCli } from './program.js';

/** Runs an operator command that `omnipay` handed over through the control socket, inside the running assistant. */
export async function runForwarded(argv: string[], app: App): Promise<ControlResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, app: async () => app });
  return { code, out, err };
}
