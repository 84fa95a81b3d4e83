import { existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';

/** The unix socket of the running assistant, through which CLI commands reach the embedded database. */
export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'omnipay.sock');
}

/** What a forwarded command printed and its exit code. */
export interface ControlResult {
  code: number;
  out: string[];
  err: string[];
}

/** Serves forwarded CLI commands (the embedded database is opened by one process only). */
export async function serveControl(dataDir: string, run: (argv: string[]) => Promise<ControlResult>): Promise<() => Promise<void>> {
  const path = controlSocketPath(dataDir);
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(path)) unlinkSync(path);
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const { argv } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { argv: string[] };
      const result = await run(argv);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (err) {
      res.writeHead(200).end(JSON.stringify({ code: 1, out: [], err: [`omnipay: ${(err as Error).message}`] }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot open the control socket ${path}: ${err.message}`)));
    server.listen(path, () => resolve());
  });
  return async () => {
    await new Promise<void>((r) => server.close(() => r()));
    if (existsSync(path)) unlinkSync(path);
  };
}

/** Sends a CLI command to the running assistant. */
export function forwardToRunning(dataDir: string, argv: string[]): Promise<ControlResult> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: controlSocketPath(dataDir), path: '/run', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ControlResult);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ argv }));
  });
}
