import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ensurePrivateDir } from './private-dir.js';

/** The unix socket of the running assistant, through which CLI commands reach the embedded database. */
export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'omnipay.sock');
}

/** The per-start token a command must present on the control socket (readable by the owner only). */
export function controlTokenPath(dataDir: string): string {
  return join(dataDir, 'control.token');
}

/** Largest request body the control socket reads (an operator command line is far smaller). */
export const CONTROL_BODY_MAX = 64 * 1024;

/**
 * The operator commands the running assistant runs for a caller, as their command words: those of
 * CONTRACT.md ("Operator CLI"), and the card commands support also has on the CLI (list, unlock-pin,
 * freeze, unfreeze), since every operator command must work while the assistant runs. Nothing else
 * crosses the socket: `converse` would open other apps and read files, `chat` needs a terminal, and
 * an unknown word has no business there.
 */
export const OPERATOR_COMMANDS = [
  'migrate',
  'cards issue',
  'cards reissue-pin',
  'cards replace',
  'cards list',
  'cards unlock-pin',
  'cards freeze',
  'cards unfreeze',
  'rates set',
  'rates list',
  'usage',
  'ledger verify',
] as const;

/** Is `argv` one of the {@link OPERATOR_COMMANDS} (its first one or two words)? */
export function isOperatorCommand(argv: readonly string[]): boolean {
  const [first, second] = argv;
  return OPERATOR_COMMANDS.some((c) => {
    const [group, sub] = c.split(' ');
    return first === group && (sub === undefined || second === sub);
  });
}

/** What a forwarded command printed and its exit code. */
export interface ControlResult {
  code: number;
  out: string[];
  err: string[];
}

/** A refused or failed control request (its status and the one line the CLI prints). */
class ControlRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function answer(res: ServerResponse, status: number, result: ControlResult): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(result));
}

/** Reads a body up to {@link CONTROL_BODY_MAX} bytes; more is refused without reading on. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > CONTROL_BODY_MAX) throw new ControlRefusal(413, `control socket: request over ${CONTROL_BODY_MAX} bytes refused`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > CONTROL_BODY_MAX) throw new ControlRefusal(413, `control socket: request over ${CONTROL_BODY_MAX} bytes refused`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function tokenMatches(header: string | undefined, token: Buffer): boolean {
  const given = Buffer.from(/^Bearer ([0-9a-f]+)$/.exec(header ?? '')?.[1] ?? '', 'utf8');
  return given.length === token.length && timingSafeEqual(given, token);
}

/** Writes a fresh file readable and writable by the owner only (an old one is replaced). */
function writePrivateFile(path: string, content: string): void {
  if (existsSync(path)) unlinkSync(path);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * Serves forwarded CLI commands (the embedded database is opened by one process only). Only this
 * user can reach it: DATA_DIR is made 0700, the socket 0600, and every request must carry the
 * random token written at this start to `DATA_DIR/control.token` (0600). It runs only the
 * {@link OPERATOR_COMMANDS}, and reads at most {@link CONTROL_BODY_MAX} bytes of a request.
 */
export async function serveControl(dataDir: string, run: (argv: string[]) => Promise<ControlResult>): Promise<() => Promise<void>> {
  const path = controlSocketPath(dataDir);
  const tokenFile = controlTokenPath(dataDir);
  ensurePrivateDir(dataDir);
  const token = Buffer.from(randomBytes(32).toString('hex'), 'utf8');
  if (existsSync(path)) unlinkSync(path);
  const server: Server = createServer(async (req, res) => {
    try {
      if (!tokenMatches(req.headers.authorization, token)) throw new ControlRefusal(401, 'control socket: refused (missing or wrong token)');
      const body = await readBody(req);
      let argv: unknown;
      try {
        argv = (JSON.parse(body.toString('utf8')) as { argv?: unknown }).argv;
      } catch {
        throw new ControlRefusal(400, 'control socket: the request is not JSON');
      }
      if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) throw new ControlRefusal(400, 'control socket: argv must be a list of strings');
      if (!isOperatorCommand(argv)) throw new ControlRefusal(403, `the running assistant takes only the operator commands: ${OPERATOR_COMMANDS.join(', ')}`);
      answer(res, 200, await run(argv));
    } catch (err) {
      const status = err instanceof ControlRefusal ? err.status : 500;
      answer(res, status, { code: 1, out: [], err: [`omnipay: ${(err as Error).message}`] });
      // Whatever is left of a refused body is not read.
      if (status !== 200) res.on('finish', () => req.socket.destroySoon());
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot open the control socket ${path}: ${err.message}`)));
    server.listen(path, () => resolve());
  });
  // The folder is 0700 already; the socket's own mode keeps it closed should the folder be opened.
  chmodSync(path, 0o600);
  writePrivateFile(tokenFile, `${token.toString('utf8')}\n`);
  return async () => {
    await new Promise<void>((r) => server.close(() => r()));
    for (const f of [path, tokenFile]) if (existsSync(f)) unlinkSync(f);
  };
}

/** Sends a CLI command to the running assistant, with the token of its current start. */
export function forwardToRunning(dataDir: string, argv: string[]): Promise<ControlResult> {
  let token: string;
  try {
    token = readFileSync(controlTokenPath(dataDir), 'utf8').trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EACCES' ? 'permission denied; run the command as the user that runs the assistant' : (e.code ?? e.message);
    return Promise.reject(new Error(`cannot read ${controlTokenPath(dataDir)} (${why})`));
  }
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ argv });
    const req = request(
      { socketPath: controlSocketPath(dataDir), path: '/run', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ControlResult);
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
