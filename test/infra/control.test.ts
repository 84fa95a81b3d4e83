import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_BODY_MAX, controlSocketPath, controlTokenPath, forwardToRunning, serveControl, type ControlResult } from '../../src/infra/control.js';

/** A raw POST to the control socket, as any local process could send it. */
function rawPost(dataDir: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: controlSocketPath(dataDir), path: '/run', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('control socket', () => {
  let dataDir: string;
  let ran: string[][];
  let stop: (() => Promise<void>) | undefined;
  const run = async (argv: string[]): Promise<ControlResult> => {
    ran.push(argv);
    return { code: 0, out: [`ran ${argv.join(' ')}`], err: [] };
  };

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'omnipay-control-')), 'data');
    ran = [];
  });
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('creates DATA_DIR 0700, the socket 0600 and a 64-hex-digit token file 0600', async () => {
    stop = await serveControl(dataDir, run);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(controlSocketPath(dataDir))).toBe(0o600);
    expect(modeOf(controlTokenPath(dataDir))).toBe(0o600);
    expect(readFileSync(controlTokenPath(dataDir), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tightens an existing DATA_DIR that group and others could enter to 0700', async () => {
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o775);
    stop = await serveControl(dataDir, run);
    expect(modeOf(dataDir)).toBe(0o700);
  });

  it('writes a new token at every start and removes socket and token at stop', async () => {
    stop = await serveControl(dataDir, run);
    const first = readFileSync(controlTokenPath(dataDir), 'utf8');
    await stop();
    expect(existsSync(controlSocketPath(dataDir))).toBe(false);
    expect(existsSync(controlTokenPath(dataDir))).toBe(false);
    stop = await serveControl(dataDir, run);
    expect(readFileSync(controlTokenPath(dataDir), 'utf8')).not.toBe(first);
  });

  it('refuses a raw connection without the token (401) and runs nothing', async () => {
    stop = await serveControl(dataDir, run);
    const r = await rawPost(dataDir, JSON.stringify({ argv: ['usage', 'refund', '--card', '1234', '--amount', '100', '--currency', 'JPY'] }));
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({ code: 1, out: [], err: ['omnipay: control socket: refused (missing or wrong token)'] });
    expect(ran).toEqual([]);
  });

  it('refuses a wrong token (401) and runs nothing', async () => {
    stop = await serveControl(dataDir, run);
    const token = readFileSync(controlTokenPath(dataDir), 'utf8').trim();
    const wrong = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    const r = await rawPost(dataDir, JSON.stringify({ argv: ['cards', 'issue', '--email', 'a@example.com'] }), { authorization: `Bearer ${wrong}` });
    expect(r.status).toBe(401);
    expect(ran).toEqual([]);
  });

  it('with the token, refuses converse, chat and unknown commands (403) and runs only the operator commands', async () => {
    stop = await serveControl(dataDir, run);
    const token = readFileSync(controlTokenPath(dataDir), 'utf8').trim();
    const post = (argv: string[]) => rawPost(dataDir, JSON.stringify({ argv }), { authorization: `Bearer ${token}` });
    for (const argv of [['converse', '/tmp/x.yaml'], ['chat'], ['no-such-command'], ['cards', 'delete'], ['rates'], ['ledger'], ['--json', 'migrate'], []]) {
      const r = await post(argv);
      expect(r.status, argv.join(' ')).toBe(403);
      expect(JSON.parse(r.body).err).toEqual([
        'omnipay: the running assistant takes only the operator commands: migrate, cards issue, cards reissue-pin, cards replace, cards list, cards unlock-pin, cards freeze, cards unfreeze, rates set, rates list, usage, ledger verify',
      ]);
    }
    expect(ran).toEqual([]);
    for (const argv of [['migrate', '--json'], ['cards', 'issue', '--email', 'a@example.com'], ['cards', 'reissue-pin', '--card', 'c1'], ['cards', 'replace', '--card', 'c1'], ['rates', 'set', 'USD', 'JPY', '150'], ['rates', 'list'], ['usage', 'purchase', '--card', '1234', '--amount', '1', '--currency', 'JPY'], ['ledger', 'verify'], ['cards', 'list', '--json']]) {
      const r = await post(argv);
      expect(r.status, argv.join(' ')).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ code: 0, out: [`ran ${argv.join(' ')}`], err: [] });
    }
    expect(ran).toHaveLength(9);
  });

  it('refuses a body over the limit (413) without running it, even with the token', async () => {
    stop = await serveControl(dataDir, run);
    const token = readFileSync(controlTokenPath(dataDir), 'utf8').trim();
    const big = JSON.stringify({ argv: ['usage', 'purchase', '--merchant', 'x'.repeat(CONTROL_BODY_MAX)] });
    const r = await rawPost(dataDir, big, { authorization: `Bearer ${token}` });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).err).toEqual([`omnipay: control socket: request over ${CONTROL_BODY_MAX} bytes refused`]);
    expect(ran).toEqual([]);
    expect(CONTROL_BODY_MAX).toBe(64 * 1024);
  });

  it('forwards an operator command from the CLI side with the token it reads from DATA_DIR', async () => {
    stop = await serveControl(dataDir, run);
    expect(await forwardToRunning(dataDir, ['rates', 'list', '--json'])).toEqual({ code: 0, out: ['ran rates list --json'], err: [] });
    expect(ran).toEqual([['rates', 'list', '--json']]);
  });
});
