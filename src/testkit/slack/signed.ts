import { createHmac } from 'node:crypto';
import {
  blockActionPayload,
  eventCallbackBody,
  slashCommandBody,
  urlVerificationBody,
  viewSubmissionPayload,
  type BlockActionOptions,
  type EventCallbackOptions,
  type SlashCommandOptions,
  type ViewSubmissionOptions,
} from './payloads.js';

/**
 * Requests as Slack sends them to an app's request URL, v0-signed with the app's signing secret:
 * `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${raw body}`. Options spoil them on purpose (a wrong
 * signature, an old timestamp) or mark them as Slack's redeliveries (`X-Slack-Retry-Num`).
 */

/** The two headers that prove a request came from Slack. */
export function signatureHeaders(signingSecret: string, body: string, timestampSec: number): Record<string, string> {
  const hash = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hash}`, 'x-slack-request-timestamp': String(timestampSec) };
}

/** How to spoil or mark one request. */
export interface SignOptions {
  /** Seconds since the epoch to sign with; default now. */
  timestampSec?: number;
  /** Shift the timestamp, e.g. `-6 * 60` for a request signed six minutes ago. */
  ageSec?: number;
  /** Sign with a wrong secret. */
  badSignature?: boolean;
  /** Leave the signature headers out. */
  unsigned?: boolean;
  /** Slack's redelivery headers (Events API). */
  retry?: { num: number; reason?: string };
}

/** What the app answered. */
export interface SignedResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON (throws when it is not JSON). */
  json(): unknown;
}

/** Options of {@link SignedSlack}. */
export interface SignedSlackOptions {
  /** The app's request URL, e.g. `http://127.0.0.1:PORT/slack/events`. */
  url: string;
  signingSecret: string;
  /** Makes a `response_url` for each command or message button (e.g. `() => fake.responseUrl()`). */
  responseUrl?: () => string;
}

/** Posts signed Slack requests to an app under test. */
export class SignedSlack {
  constructor(private readonly o: SignedSlackOptions) {}

  /** A slash command, form-encoded as Slack posts it. */
  command(c: SlashCommandOptions = {}, s: SignOptions = {}): Promise<SignedResponse> {
    const body = slashCommandBody({ ...this.responseUrlFor(c), ...c });
    return this.post(new URLSearchParams(body).toString(), 'application/x-www-form-urlencoded', s);
  }

  /** A `block_actions` interaction (a button press), as `payload=<json>`. */
  blockAction(a: BlockActionOptions, s: SignOptions = {}): Promise<SignedResponse> {
    return this.interaction(blockActionPayload({ ...(a.view ? {} : this.responseUrlFor(a)), ...a }), s);
  }

  /** A `view_submission` interaction (a modal's submit button). */
  viewSubmission(v: ViewSubmissionOptions, s: SignOptions = {}): Promise<SignedResponse> {
    return this.interaction(viewSubmissionPayload(v), s);
  }

  /** Any interaction payload, as `payload=<json>`. */
  interaction(payload: Record<string, unknown>, s: SignOptions = {}): Promise<SignedResponse> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', s);
  }

  /** An Events API `event_callback` around `event` (see `messageEvent`). */
  event(event: Record<string, unknown>, e: EventCallbackOptions = {}, s: SignOptions = {}): Promise<SignedResponse> {
    return this.json(eventCallbackBody(event, e), s);
  }

  /** The `url_verification` handshake. */
  urlVerification(challenge: string, s: SignOptions = {}): Promise<SignedResponse> {
    return this.json(urlVerificationBody(challenge), s);
  }

  /** Any JSON body. */
  json(body: Record<string, unknown>, s: SignOptions = {}): Promise<SignedResponse> {
    return this.post(JSON.stringify(body), 'application/json', s);
  }

  /** Signs and posts a raw body. */
  async post(body: string, contentType: string, s: SignOptions = {}): Promise<SignedResponse> {
    const ts = (s.timestampSec ?? Math.floor(Date.now() / 1000)) + (s.ageSec ?? 0);
    const secret = s.badSignature ? `${this.o.signingSecret}-wrong` : this.o.signingSecret;
    const headers: Record<string, string> = { 'content-type': contentType, ...(s.unsigned ? {} : signatureHeaders(secret, body, ts)) };
    if (s.retry) {
      headers['x-slack-retry-num'] = String(s.retry.num);
      headers['x-slack-retry-reason'] = s.retry.reason ?? 'http_timeout';
    }
    const res = await fetch(this.o.url, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
  }

  private responseUrlFor(x: { responseUrl?: string }): { responseUrl?: string } {
    return x.responseUrl || !this.o.responseUrl ? {} : { responseUrl: this.o.responseUrl() };
  }
}
