/**
 * One loopback HTTP server: the Web API under /api/<method>, response URLs under /response/<id>,
 * and the Socket Mode WebSocket upgrade under /socket.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { FakeSlackState } from './fake-slack-state.ts';
import { handleResponseUrl } from './response-url.ts';
import type { SocketModeHub } from './socket-mode-hub.ts';
import { callMethod } from './web-api.ts';
import type { MethodResult } from './web-api-common.ts';
import { handleFileRoute } from './web-api-files.ts';

/** An injected failure for the next call(s) of a method. */
export type Fault = { error: 'ratelimited'; retryAfterSec?: number } | { error: string };

const JsonBody = z.record(z.string(), z.unknown());

/** The Web API client flattens objects to JSON strings and booleans to "true"/"false" in forms. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);
const BOOLEAN_FIELDS = new Set([
  'unfurl_links',
  'unfurl_media',
  'reply_broadcast',
  'as_user',
  'mrkdwn',
  'link_names',
  'include_locale',
]);

function decodeForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (JSON_FIELDS.has(key)) {
      try {
        out[key] = JSON.parse(value);
      } catch {
        out[key] = value;
      }
    } else if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) {
      out[key] = value === 'true';
    } else {
      out[key] = value;
    }
  }
  return out;
}

function decodeBody(req: IncomingMessage, raw: string): Record<string, unknown> | undefined {
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const parsed = JsonBody.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
  return decodeForm(raw);
}

function bearer(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length);
  return typeof args.token === 'string' ? args.token : undefined;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** How an answer is lost: the caller waits forever, or its connection is reset. */
export type LostHow = 'silence' | 'reset';

interface LostAnswer {
  method: string;
  match: (args: Record<string, unknown>) => boolean;
  how: LostHow;
  lost: () => void;
}

export class FakeSlackServer {
  readonly #server: Server;
  readonly #state: FakeSlackState;
  readonly #hub: SocketModeHub;
  readonly #faults = new Map<string, Fault[]>();
  readonly #lostAnswers: LostAnswer[] = [];

  constructor(state: FakeSlackState, hub: SocketModeHub) {
    this.#state = state;
    this.#hub = hub;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        send(res, 500, { ok: false, error: 'fake_slack_internal_error' });
        this.#state.recordViolations('fake_slack', [
          {
            error: 'internal_error',
            rule: e instanceof Error ? e.message : 'non-error thrown',
            path: req.url ?? '',
          },
        ]);
      });
    });
    this.#server.on('upgrade', (req, socket, head) => this.#hub.handleUpgrade(req, socket, head));
  }

  async listen(): Promise<number> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const address: AddressInfo | string | null = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('fake Slack: no TCP address');
    return address.port;
  }

  failNext(method: string, fault: Fault, times: number): void {
    const queue = this.#faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.#faults.set(method, queue);
  }

  /**
   * The next call of `method` whose arguments match is carried out, but its answer never comes:
   * the connection stays silent, or is reset.
   */
  loseAnswer(method: string, match: (args: Record<string, unknown>) => boolean, how: LostHow): Promise<void> {
    return new Promise((lost) => this.#lostAnswers.push({ method, match, how, lost }));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    if (await handleFileRoute(this.#state, req, res, bytes, url)) return;
    const args = decodeBody(req, raw);
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    const response = /^\/response\/([\w-]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || (api === null && response === null)) {
      send(res, 404, { ok: false, error: 'not_found' });
      return;
    }
    if (args === undefined) {
      send(res, 400, { ok: false, error: 'invalid_json' });
      return;
    }
    if (response?.[1] !== undefined) {
      const answer = handleResponseUrl(this.#state, response[1], args);
      send(res, answer.status, answer.body);
      return;
    }
    const method = api?.[1] ?? '';
    const fault = this.#faults.get(method)?.shift();
    if (fault !== undefined) {
      this.#state.recordCall(method, args, fault.error);
      const retryAfter = 'retryAfterSec' in fault ? fault.retryAfterSec : undefined;
      if (fault.error === 'ratelimited') {
        send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter ?? 1) });
      } else {
        send(res, 200, { ok: false, error: fault.error });
      }
      return;
    }
    const port = this.#port();
    const result: MethodResult = callMethod(
      {
        state: this.#state,
        method,
        socketUrl: () => `ws://127.0.0.1:${port}/socket?ticket=${this.#hub.issueTicket()}`,
      },
      bearer(req, args),
      args,
    );
    const i = this.#lostAnswers.findIndex((l) => l.method === method && result.ok && l.match(args));
    if (i >= 0) {
      // Slack did the work; the caller waits for an answer that never comes (close() ends it).
      const [lost] = this.#lostAnswers.splice(i, 1);
      if (lost?.how === 'reset') res.socket?.destroy();
      lost?.lost();
      return;
    }
    send(res, 200, result, { 'x-oauth-scopes': this.#state.grantedScopes.join(',') });
  }

  #port(): number {
    const address = this.#server.address();
    return address !== null && typeof address === 'object' ? address.port : 0;
  }
}
