import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type FakeButton, type FakeCall } from './types.js';

/** Telegram's time: whole seconds. */
export function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Writes a JSON answer once. */
export function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A parameter as text (undefined stays undefined). */
export function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** Form fields carry objects as JSON text; JSON bodies carry them as they are. */
export function parseJsonish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The id in an `attach://<id>` reference. */
export function attachId(v: unknown): string | undefined {
  return typeof v === 'string' && v.startsWith('attach://') ? v.slice('attach://'.length) : undefined;
}

/** The bytes of an uploaded file referenced as `attach://id` (or a file_id / URL, kept as text). */
export function fileOf(v: unknown, files: FakeCall['files'], field: string): Buffer {
  const id = attachId(v);
  if (id) {
    const f = files[id];
    if (!f) throw new ApiError(400, `Bad Request: file attach://${id} not found in the request`);
    return f.data;
  }
  if (typeof v === 'string' && v) return Buffer.from(v);
  throw new ApiError(400, `Bad Request: there is no ${field} in the request`);
}

/** The inline keyboard of `reply_markup`, checked like Telegram does. */
export function keyboardOf(markup: unknown): FakeButton[][] | undefined {
  const m = parseJsonish(markup) as { inline_keyboard?: FakeButton[][] } | undefined;
  if (!m || !m.inline_keyboard) return undefined;
  for (const row of m.inline_keyboard)
    for (const b of row) {
      if (!b.text) throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
  return m.inline_keyboard.length ? m.inline_keyboard.map((r) => r.map((b) => ({ ...b }))) : undefined;
}

/** Reads a JSON or multipart/form-data request (grammY writes headers without spaces). */
export function parseRequest(req: IncomingMessage, body: Buffer): { params: Record<string, unknown>; files: FakeCall['files'] } {
  const type = req.headers['content-type'] ?? '';
  if (!body.length) return { params: {}, files: {} };
  if (type.startsWith('application/json')) return { params: JSON.parse(body.toString('utf8')) as Record<string, unknown>, files: {} };
  if (type.startsWith('application/x-www-form-urlencoded')) return { params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: {} };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!type.startsWith('multipart/form-data') || !boundary) throw new Error(`unsupported content type ${type}`);
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const params: Record<string, unknown> = {};
  const files: FakeCall['files'] = {};
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.subarray(-2).toString() === '\r\n') part = part.subarray(0, -2);
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString('utf8');
    const data = part.subarray(headEnd + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) files[name] = { filename, data: Buffer.from(data) };
      else params[name] = parseJsonish(data.toString('utf8'));
    }
    pos = next;
  }
  // Scalars sent as form fields arrive as text; numbers and booleans are parsed back by parseJsonish.
  return { params, files };
}
