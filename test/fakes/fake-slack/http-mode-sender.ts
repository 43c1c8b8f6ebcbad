/**
 * HTTP mode deliveries, signed as Slack signs them (docs.slack.dev "Verifying requests from Slack"):
 * X-Slack-Signature = "v0=" + hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body).
 * Slash commands are form-encoded, interactions are `payload=<json>` form-encoded, events are JSON.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { DeliveryResult, EnvelopeType } from './socket-mode-hub.ts';

export interface HttpModeOptions {
  /** The bot's Request URL, e.g. http://127.0.0.1:PORT/slack/events (Bolt's default path). */
  requestUrl: string;
  signingSecret: string;
}

/**
 * How to sign one delivery; anything but 'valid' must be refused by the bot with 401. `stale` and
 * `future` are validly signed but dated six minutes before or after now.
 */
export type SignatureMode = 'valid' | 'unsigned' | 'wrong' | 'stale' | 'future';

/** Slack refuses timestamps more than five minutes old; six is safely past it. */
const STALE_SECONDS = 6 * 60;

const JsonBody = z.record(z.string(), z.unknown());

function encode(type: EnvelopeType, payload: Record<string, unknown>): { body: string; contentType: string } {
  if (type === 'events_api') return { body: JSON.stringify(payload), contentType: 'application/json' };
  // Bolt compares the content type exactly, so no "; charset" suffix.
  const contentType = 'application/x-www-form-urlencoded';
  if (type === 'interactive') {
    return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType };
  }
  const fields = Object.entries(payload).map(([k, v]): [string, string] => [
    k,
    typeof v === 'string' ? v : String(v),
  ]);
  return { body: new URLSearchParams(fields).toString(), contentType };
}

function parseAck(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const parsed = JsonBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { text };
  } catch {
    return { text };
  }
}

/**
 * POSTs one delivery; the response body is the ack. The timestamp is real wall-clock time, not the
 * fake's clock, because Bolt checks staleness against Date.now().
 */
export async function sendHttpDelivery(
  opts: HttpModeOptions,
  type: EnvelopeType,
  payload: Record<string, unknown>,
  signature: SignatureMode,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const { body, contentType } = encode(type, payload);
  const nowSec = Math.floor(Date.now() / 1000);
  const skew = signature === 'stale' ? -STALE_SECONDS : signature === 'future' ? STALE_SECONDS : 0;
  const ts = String(nowSec + skew);
  const secret = signature === 'wrong' ? `${opts.signingSecret}-wrong` : opts.signingSecret;
  const headers: Record<string, string> = { 'content-type': contentType };
  if (signature !== 'unsigned') {
    headers['x-slack-request-timestamp'] = ts;
    headers['x-slack-signature'] =
      `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  }
  try {
    const res = await fetch(opts.requestUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const acked = res.status === 200;
    return { acked, payload: acked ? parseAck(text) : undefined, attempts: 1, status: res.status };
  } catch (e) {
    if (e instanceof Error && e.name === 'TimeoutError') {
      return { acked: false, payload: undefined, attempts: 1, status: undefined };
    }
    throw e;
  }
}
