/**
 * The one undici call every vendor client goes through: explicit timeouts, a per-vendor dispatcher,
 * and classification of transport failures into VendorError. It never puts a header value, a body
 * or a query string into an error message, so no secret can leak through it.
 */
import { Agent, type Dispatcher, request, errors as undiciErrors } from 'undici';
import { VendorError } from '../errors.ts';

export interface AgentOptions {
  timeoutMs: number;
  /** PEM CA bundle to trust in addition to nothing else (verification is never disabled). */
  ca?: string | Buffer;
  /** PKCS#12 client certificate for mutual TLS. */
  pfx?: Buffer;
  passphrase?: string;
}

/** One Agent per vendor (and one more for PJM's mutual-TLS SSO call). */
export function createVendorAgent(opts: AgentOptions): Agent {
  return new Agent({
    connect: {
      timeout: Math.min(opts.timeoutMs, 10_000),
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.pfx ? { pfx: opts.pfx, passphrase: opts.passphrase } : {}),
    },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    keepAliveTimeout: 10_000,
  });
}

export interface VendorHttpRequest {
  vendor: string;
  /** Short operation name for messages and logs, e.g. 'registrations'. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
}

export interface VendorHttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  contentType: string;
  body: string;
}

/** Codes meaning the TCP/TLS connection never carried our request. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

const isTlsFailure = (code: string | undefined) =>
  !!code &&
  (code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'EPROTO');

/** Map a thrown transport error to a VendorError that says whether the request may have arrived. */
export function classifyTransportError(vendor: string, operation: string, e: unknown): VendorError {
  const code = errorCode(e);
  if (isTlsFailure(code)) {
    return new VendorError({
      vendor,
      kind: 'auth',
      message: `${vendor} ${operation}: TLS handshake failed (${code}); check the CA or client certificate settings`,
      requestSent: false,
      cause: e,
    });
  }
  if (code && NOT_SENT_CODES.has(code)) {
    return new VendorError({
      vendor,
      kind: 'transient',
      message: `${vendor} ${operation}: could not connect (${code})`,
      requestSent: false,
      cause: e,
    });
  }
  const timedOut =
    e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError;
  return new VendorError({
    vendor,
    kind: 'transient',
    message: `${vendor} ${operation}: ${timedOut ? 'no answer in time' : `connection failed (${code ?? 'unknown'})`}; the request may have arrived`,
    requestSent: true,
    cause: e,
  });
}

export async function vendorHttp(req: VendorHttpRequest): Promise<VendorHttpResponse> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: req.dispatcher,
      signal: req.signal,
    });
  } catch (e) {
    throw classifyTransportError(req.vendor, req.operation, e);
  }
  let body: string;
  try {
    body = await res.body.text();
  } catch (e) {
    throw classifyTransportError(req.vendor, req.operation, e);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return { status: res.statusCode, headers, contentType: headers['content-type'] ?? '', body };
}

/** Retry-After (seconds or HTTP date) → milliseconds, or null. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
