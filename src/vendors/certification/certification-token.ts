/**
 * OAuth2 access token for the Certification API, by either grant the tenant uses (reference §3.1/3.2):
 * client_credentials at a WSO2 gateway or password at BlackLine's STS. The token is cached until
 * `expires_in − 60 s` on the injected clock, and concurrent callers share one token request.
 */
import type { Clock } from '../../domain/clock.ts';
import { isVendorError, VendorError } from '../../errors.ts';
import { parseJsonBody, type VendorHttp, type VendorHttpResponse } from '../http.ts';
import { CERT_VENDOR, notSent, tokenFailure } from './certification-errors.ts';
import { tokenResponseSchema } from './certification-schemas.ts';

export type TokenFlow = 'client_credentials' | 'password';

export interface CertTokenOptions {
  tokenUrl: string;
  flow: TokenFlow;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Password grant only. */
  username?: string;
  /** Password grant only: the user's API key. */
  password?: string;
  http: VendorHttp;
  clock: Clock;
}

/** RFC 6749 makes `expires_in` optional; WSO2's usual default lifetime is an hour. */
const DEFAULT_TTL_SECONDS = 3600;
/** Renew this long before expiry so a token never dies between our check and the gateway's. */
const EARLY_RENEWAL_SECONDS = 60;

export class CertTokenSource {
  readonly #opts: CertTokenOptions;
  #cached: { token: string; validUntil: number } | null = null;
  #pending: Promise<string> | null = null;

  constructor(opts: CertTokenOptions) {
    this.#opts = opts;
  }

  /** A token valid now: the cached one, or a new one. @throws VendorError with requestSent false */
  async get(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#opts.clock.now().getTime() < cached.validUntil) return cached.token;
    this.#pending ??= this.#fetch(signal).finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  /** Forget `token` after the gateway refused it (unless a newer one is already cached). */
  invalidate(token: string): void {
    if (this.#cached?.token === token) this.#cached = null;
  }

  /** A sign-in: VendorHttp tries once more after a transport error, never after a refusal. */
  async #fetch(signal?: AbortSignal): Promise<string> {
    try {
      return await this.#opts.http.signIn(() => this.#request(signal), signal);
    } catch (e) {
      throw isVendorError(e) ? notSent(e) : e;
    }
  }

  #request(signal?: AbortSignal): Promise<string> {
    const o = this.#opts;
    const form = new URLSearchParams({ grant_type: o.flow });
    if (o.flow === 'password') {
      form.set('username', o.username ?? '');
      form.set('password', o.password ?? '');
    }
    if (o.scope) form.set('scope', o.scope);
    const basic = Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64');
    const request = {
      operation: 'token',
      method: 'POST' as const,
      url: o.tokenUrl,
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      signal,
    };
    return o.http.call(request, (res) => this.#readToken(res));
  }

  #readToken(res: VendorHttpResponse): string {
    if (res.status !== 200) throw tokenFailure(res);
    const parsed = tokenResponseSchema.safeParse(parseJsonBody(res.body));
    if (!parsed.success) {
      throw new VendorError({
        vendor: CERT_VENDOR,
        kind: 'unknown',
        httpStatus: res.status,
        message: 'Certification token: HTTP 200 without an access_token: check CERT_TOKEN_URL',
      });
    }
    const ttl = parsed.data.expires_in ?? DEFAULT_TTL_SECONDS;
    const lifetime = ttl > EARLY_RENEWAL_SECONDS * 2 ? ttl - EARLY_RENEWAL_SECONDS : ttl / 2;
    this.#cached = {
      token: parsed.data.access_token,
      validUntil: this.#opts.clock.now().getTime() + lifetime * 1000,
    };
    return parsed.data.access_token;
  }
}
