import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** Small HTTP helpers of the fake Slack: reading bodies the way Slack's servers accept them. */

/**
 * Arguments that `@slack/web-api` sends JSON-encoded inside a form (it stringifies every object
 * value). Only these are decoded: a `text` that happens to start with `[` stays text.
 */
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'unfurls', 'user_auth_blocks']);

/** Reads a request's whole body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A request body as Web API arguments: form (JSON-valued arguments decoded), JSON or multipart. */
export async function parseArgs(contentType: string | undefined, raw: Buffer): Promise<Record<string, unknown>> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return {};
  if (type === 'application/json') {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }
  if (type === 'multipart/form-data') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of (await multipart(contentType ?? '', raw)).entries()) out[k] = typeof v === 'string' ? decode(k, v) : Buffer.from(await v.arrayBuffer());
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parseQuery(raw.toString('utf8')))) {
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined) out[k] = decode(k, s);
  }
  return out;
}

/** Parses multipart/form-data with the platform's own parser (undici's, behind `Response`). */
export function multipart(contentType: string, raw: Buffer): Promise<FormData> {
  return new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
}

/** The bytes of an uploaded file: the first file part of a multipart body, or the raw body. */
export async function uploadedBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer> {
  if (!(contentType ?? '').toLowerCase().startsWith('multipart/form-data')) return raw;
  for (const [, v] of (await multipart(contentType ?? '', raw)).entries()) {
    if (typeof v !== 'string') return Buffer.from(await v.arrayBuffer());
  }
  return Buffer.alloc(0);
}

function decode(key: string, value: string): unknown {
  if (!JSON_ARGS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The token of a call: the `Authorization: Bearer` header, else a `token` argument. */
export function tokenOf(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ') && auth.length > 7) return auth.slice(7);
  return typeof args.token === 'string' && args.token !== '' ? args.token : undefined;
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}
