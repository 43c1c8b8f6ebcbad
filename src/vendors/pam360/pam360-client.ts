/**
 * PAM360 REST client (reference/vendor-apis.md §2): create user and getUserId over HTTPS with a
 * configurable CA. Success is read from `operation.result.status`, never from the HTTP status,
 * because PAM360 answers authentication failures with HTTP 200 (§2.2).
 */
import type { Clock } from '../../domain/clock.ts';
import { VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import {
  parseJsonBody,
  parseRetryAfter,
  type VendorCallObserver,
  VendorHttp,
  type VendorHttpResponse,
  type VendorRequest,
} from '../http.ts';
import {
  type Pam360CreateInput,
  type Pam360Status,
  pam360CreatedDetailsSchema,
  pam360EnvelopeSchema,
  pam360UserIdDetailsSchema,
} from './pam360-schemas.ts';

export const PAM360_VENDOR = 'pam360';

export interface Pam360ClientOptions {
  /** e.g. https://pam360.example.com:8282 (a path prefix is kept). */
  baseUrl: string;
  authToken: string;
  /** Sent as the `orgName` header (MSP edition). */
  orgName?: string;
  /** PEM of the CA that signed the server certificate. */
  ca?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  log: Logger;
  clock: Clock;
  onCall?: VendorCallObserver;
}

export type Pam360CreateResult =
  | { ok: true; message: string; userId: string | null; authToken: string | null }
  | { ok: false; message: string };

export type Pam360UserIdResult = { found: true; userId: string } | { found: false; message: string };

interface CallSpec {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  signal?: AbortSignal;
}

interface CallResult {
  status: Exclude<Pam360Status, 'other'>;
  message: string;
  details: unknown;
}

export class Pam360Client {
  readonly #opts: Pam360ClientOptions;
  readonly #http: VendorHttp;

  constructor(opts: Pam360ClientOptions) {
    this.#opts = opts;
    this.#http = new VendorHttp({
      vendor: PAM360_VENDOR,
      label: 'PAM360',
      envPrefix: 'PAM360',
      deadlineMs: opts.timeoutMs,
      maxResponseBytes: opts.maxResponseBytes,
      ca: opts.ca,
      log: opts.log,
      onCall: opts.onCall,
    });
  }

  /** POST /restapi/json/v1/user once. Never retried here: a create is not idempotent (§2.7). */
  async createUser(input: Pam360CreateInput, signal?: AbortSignal): Promise<Pam360CreateResult> {
    const res = await this.#call('once', {
      operation: 'create user',
      method: 'POST',
      path: '/restapi/json/v1/user',
      body: new URLSearchParams({ INPUT_DATA: JSON.stringify(input) }).toString(),
      signal,
    });
    if (res.status === 'failed') return { ok: false, message: res.message };
    const details = pam360CreatedDetailsSchema.safeParse(res.details);
    return {
      ok: true,
      message: res.message,
      userId: details.success ? (details.data.USERID ?? null) : null,
      authToken: details.success ? (details.data.AUTHTOKEN ?? null) : null,
    };
  }

  /** GET /restapi/json/v1/user/getUserId?USERNAME=…; a Failed answer means "not found". */
  async getUserId(username: string, signal?: AbortSignal): Promise<Pam360UserIdResult> {
    const path = `/restapi/json/v1/user/getUserId?${new URLSearchParams({ USERNAME: username })}`;
    const res = await this.#call('read', { operation: 'get user id', method: 'GET', path, signal });
    if (res.status === 'failed') return { found: false, message: res.message };
    const details = pam360UserIdDetailsSchema.safeParse(res.details);
    if (!details.success) {
      throw new VendorError({
        vendor: PAM360_VENDOR,
        kind: 'unknown',
        message: 'PAM360 get user id: success without a USERID in Details',
        vendorMessages: res.message ? [res.message] : [],
      });
    }
    return { found: true, userId: details.data.USERID };
  }

  async close(): Promise<void> {
    await this.#http.close();
  }

  /** `read` calls are idempotent and retried on transient failures; `once` calls never are. */
  #call(mode: 'read' | 'once', spec: CallSpec): Promise<CallResult> {
    const headers: Record<string, string> = { AUTHTOKEN: this.#opts.authToken, accept: 'application/json' };
    if (this.#opts.orgName) headers.orgName = this.#opts.orgName;
    if (spec.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const req: VendorRequest = {
      operation: spec.operation,
      method: spec.method,
      url: `${this.#opts.baseUrl.replace(/\/+$/, '')}${spec.path}`,
      headers,
      body: spec.body,
      signal: spec.signal,
    };
    const interpret = (res: VendorHttpResponse) => this.#interpret(spec.operation, res);
    return mode === 'read' ? this.#http.read(req, interpret) : this.#http.call(req, interpret);
  }

  #interpret(operation: string, res: VendorHttpResponse): CallResult {
    const { status: httpStatus, headers, body } = res;
    const fail = (init: Omit<ConstructorParameters<typeof VendorError>[0], 'vendor' | 'httpStatus'>) =>
      new VendorError({ vendor: PAM360_VENDOR, httpStatus, ...init });
    const envelope = parseEnvelope(body);
    const vendorMessages = envelope?.operation.result.message ? [envelope.operation.result.message] : [];

    if (httpStatus === 429) {
      throw fail({
        kind: 'throttle',
        message: `PAM360 ${operation}: too many requests (HTTP 429)`,
        vendorMessages,
        retryAfterMs: parseRetryAfter(headers['retry-after'], this.#opts.clock.now()),
      });
    }
    if (httpStatus >= 500) {
      throw fail({
        kind: 'transient',
        message: `PAM360 ${operation}: server error (HTTP ${httpStatus})${envelope ? '' : ' with a non-PAM360 body, perhaps from a proxy'}; the request may have arrived`,
        vendorMessages,
        requestSent: true,
      });
    }
    if (!envelope) throw this.#notAnEnvelope(operation, httpStatus, headers, body);

    const { name, result, Details } = envelope.operation;
    const message = result.message ?? '';
    if (result.status === 'failed') {
      // An unknown orgName may come as an Authentication envelope or as the operation's own failure.
      if (/organi[sz]ation/i.test(message)) {
        throw fail({
          kind: 'auth',
          message: `PAM360 ${operation}: organisation refused; check PAM360_ORG_NAME`,
          vendorMessages,
        });
      }
      if (name?.trim().toLowerCase() === 'authentication') {
        throw fail({
          kind: 'auth',
          message: `PAM360 ${operation}: authentication failed; check PAM360_AUTH_TOKEN and the API user's host binding`,
          vendorMessages,
        });
      }
      if (/not authori[sz]ed|permission|privilege/i.test(message)) {
        throw fail({
          kind: 'auth',
          message: `PAM360 ${operation}: the API user of PAM360_AUTH_TOKEN may not manage users`,
          vendorMessages,
        });
      }
    }
    if (result.status === 'other') {
      throw fail({
        kind: 'unknown',
        message: `PAM360 ${operation}: unrecognised result status`,
        vendorMessages,
        requestSent: true,
      });
    }
    return { status: result.status, message, details: Details };
  }

  #notAnEnvelope(
    operation: string,
    httpStatus: number,
    headers: Record<string, string>,
    body: string,
  ): VendorError {
    const base = { vendor: PAM360_VENDOR, httpStatus };
    if (httpStatus === 404) {
      return new VendorError({
        ...base,
        kind: 'auth',
        message: `PAM360 ${operation}: HTTP 404, no such API path; check PAM360_BASE_URL`,
      });
    }
    if (httpStatus === 401 || httpStatus === 403) {
      return new VendorError({
        ...base,
        kind: 'auth',
        message: `PAM360 ${operation}: access refused (HTTP ${httpStatus}); check PAM360_AUTH_TOKEN`,
      });
    }
    if (body.trim() === '') {
      // PMP answers nothing at all when the API user's bound hostname does not resolve (§2.2).
      return new VendorError({
        ...base,
        kind: 'auth',
        message: `PAM360 ${operation}: PAM360 returned an empty response. This usually means the API user's hostname binding cannot be resolved on the PAM360 server; check the API user behind PAM360_AUTH_TOKEN`,
        requestSent: true,
      });
    }
    const type = headers['content-type']?.split(';')[0] || 'no content type';
    return new VendorError({
      ...base,
      kind: 'unknown',
      message: `PAM360 ${operation}: HTTP ${httpStatus} with a body that is not a PAM360 answer (${type}); a proxy may have answered`,
      requestSent: true,
    });
  }
}

function parseEnvelope(body: string) {
  const parsed = pam360EnvelopeSchema.safeParse(parseJsonBody(body));
  return parsed.success ? parsed.data : null;
}
