/**
 * The one HTTP path of every vendor call. A VendorHttp per vendor connection owns: the call's
 * overall deadline (connect to last body byte — undici's bodyTimeout alone is an idle timer a
 * trickle defeats), the response-size cap, the retry of idempotent reads and of sign-ins, the
 * classification of transport and TLS failures, and one log line (plus one observer event) per
 * call with the same fields for every vendor. It never puts a header value, a body or a query
 * string into an error or a log line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { type ErrorKind, VendorError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import { backoffMs, RETRY_POLICIES, type RetryPolicy } from '../worker/retry-policies.ts';
import { withDeadline } from './call-deadline.ts';
import { type CallContext, classifyTransportError } from './http-classify.ts';
import {
  markingConnector,
  pkcs12Message,
  pkcs12Problem,
  type VendorTlsOptions,
  vendorSecureContext,
} from './http-tls.ts';

/** What every vendor call reports, to the log and to the optional observer (metrics). */
export interface VendorCallEvent {
  vendor: string;
  operation: string;
  /** null when no answer arrived. */
  httpStatus: number | null;
  /** null when the call succeeded. */
  kind: ErrorKind | null;
  durationMs: number;
}

export type VendorCallObserver = (event: VendorCallEvent) => void;

export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export interface VendorHttpOptions extends VendorTlsOptions {
  vendor: string;
  label: string;
  envPrefix: string;
  /** Whole-call deadline in milliseconds (the vendor's TIMEOUT_MS setting). */
  deadlineMs: number;
  maxResponseBytes: number;
  log: Logger;
  onCall?: VendorCallObserver;
}

export interface VendorRequest {
  /** Short operation name for messages and logs, e.g. 'registrations'. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface VendorHttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  contentType: string;
  body: string;
}

/** Reads the answer into what the vendor client returns; throws VendorError for a bad answer. */
export type Interpret<T> = (res: VendorHttpResponse) => T;

export class VendorHttp {
  readonly #o: VendorHttpOptions;
  /** A PKCS#12 that does not open makes every call fail with that error, before any network use. */
  readonly #conn: { agent: Agent } | { error: VendorError };

  constructor(opts: VendorHttpOptions) {
    this.#o = opts;
    const pfx = opts.pfx ? pkcs12Problem(opts.pfx, opts.passphrase) : null;
    this.#conn = pfx
      ? {
          error: new VendorError({
            vendor: opts.vendor,
            kind: 'auth',
            message: `${opts.label}: ${pkcs12Message(opts.envPrefix, pfx)}`,
            requestSent: false,
          }),
        }
      : {
          agent: new Agent({
            connect: markingConnector(() => vendorSecureContext(opts), Math.min(opts.deadlineMs, 10_000)),
            // Off: the call's own deadline (below) is the one clock; undici's coarse timers can
            // fire hundreds of milliseconds early and bodyTimeout only measures idle gaps.
            headersTimeout: 0,
            bodyTimeout: 0,
            keepAliveTimeout: 10_000,
          }),
        };
  }

  /** One request, no retry: for calls that must not repeat (creates) and for callers that decide. */
  async call<T>(req: VendorRequest, interpret: Interpret<T>): Promise<T> {
    const started = performance.now();
    let httpStatus: number | null = null;
    let kind: ErrorKind | null = null;
    try {
      const res = await this.#send(req);
      httpStatus = res.status;
      return interpret(res);
    } catch (e) {
      kind = e instanceof VendorError ? e.kind : 'unknown';
      throw e;
    } finally {
      const event = {
        vendor: this.#o.vendor,
        operation: req.operation,
        httpStatus,
        kind,
        durationMs: Math.round(performance.now() - started),
      };
      this.#o.log.info(event, 'vendor call');
      this.#o.onCall?.(event);
    }
  }

  /** An idempotent read: transient failures (5xx, transport) are tried again, with jitter. */
  read<T>(req: VendorRequest, interpret: Interpret<T>): Promise<T> {
    return withRetries(RETRY_POLICIES.vendorRead, isTransient, () => this.call(req, interpret), req.signal);
  }

  /** A sign-in: one more try after a transport error only; a refusal is never repeated. */
  signIn<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetries(RETRY_POLICIES.vendorSignIn, isTransportFailure, attempt, signal);
  }

  async close(): Promise<void> {
    if ('agent' in this.#conn) await this.#conn.agent.close();
  }

  async #send(req: VendorRequest): Promise<VendorHttpResponse> {
    if ('error' in this.#conn) throw this.#conn.error;
    const conn = this.#conn;
    const ctx: CallContext = { ...this.#o, operation: req.operation, clientCert: !!this.#o.pfx };
    return withDeadline(this.#o.deadlineMs, req.signal, async (signal, timedOut) => {
      try {
        const res = await request(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          dispatcher: conn.agent,
          signal,
        });
        const body = await readCapped(res.body, this.#o.maxResponseBytes, () =>
          tooLarge(ctx, this.#o.maxResponseBytes),
        );
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        }
        return { status: res.statusCode, headers, contentType: headers['content-type'] ?? '', body };
      } catch (e) {
        if (e instanceof VendorError) throw e;
        throw classifyTransportError(ctx, e, timedOut());
      }
    });
  }
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
  max: number,
  onTooLarge: () => VendorError,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      throw onTooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (ctx: CallContext, max: number) =>
  new VendorError({
    vendor: ctx.vendor,
    kind: 'unknown',
    message: `${ctx.label} ${ctx.operation}: the answer is larger than ${max} bytes (${ctx.envPrefix}_MAX_RESPONSE_BYTES); the request may have arrived`,
    requestSent: true,
  });

const isTransient = (e: VendorError) => e.kind === 'transient';
const isTransportFailure = (e: VendorError) => e.kind === 'transient' && e.httpStatus === null;

async function withRetries<T>(
  policy: RetryPolicy,
  retryable: (e: VendorError) => boolean,
  attempt: () => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof VendorError) || !retryable(e) || n >= policy.maxAttempts || signal?.aborted) throw e;
      await sleep(backoffMs(policy, n), undefined, { signal }).catch(() => {
        throw e;
      });
    }
  }
}

type VendorErrorFields = Pick<
  VendorError,
  'kind' | 'message' | 'httpStatus' | 'vendorMessages' | 'requestSent' | 'retryAfterMs'
>;

/** The same error with some fields changed (e.g. a failed sign-in means the create never left). */
export function withChanges(e: VendorError, changes: Partial<VendorErrorFields>): VendorError {
  return new VendorError({
    vendor: e.vendor,
    kind: e.kind,
    message: e.message,
    httpStatus: e.httpStatus,
    vendorMessages: e.vendorMessages,
    requestSent: e.requestSent,
    retryAfterMs: e.retryAfterMs,
    cause: e.cause,
    ...changes,
  });
}

/** The body as JSON, or undefined when it is not JSON (callers then zod-parse the result). */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Retry-After (seconds or HTTP date) → milliseconds, or null. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
