/**
 * OAuth2 access token for the Certification API, by either grant the tenant uses (reference §3.1/3.2):
 * client_credentials at a WSO2 gateway or password at BlackLine's STS. The token is cached until
 * `expires_in − 60 s` on the injected clock, and concurrent callers share one token request.
 */
import type { Dispatcher } from 'undici';
import type { Clock } from '../../domain/clock.ts';
import { isVendorError, VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import { certCall } from './certification-call.ts';
import { CERT_VENDOR, notSent, parseJson, tokenFailure } from './certification-errors.ts';
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
  dispatcher: Dispatcher;
  clock: Clock;
  log: Logger;
}

/** RFC 6749 makes `expires_in` optional; WSO2's usual default lifetime is an hour. */
const DEFAULT_TTL_SECONDS = 3600;
/** Renew this long before expiry so a token never dies between our check and the gateway's. */
const EARLY_RENEWAL_SECONDS = 60;
/** Token requests are idempotent: transient failures get this many extra immediate tries. */
const EXTRA_TRIES = 2;

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

  async #fetch(signal?: AbortSignal): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#request(signal);
      } catch (e) {
        if (!isVendorError(e) || e.kind !== 'transient' || attempt >= EXTRA_TRIES || signal?.aborted) {
          throw isVendorError(e) ? notSent(e) : e;
        }
      }
    }
  }

  async #request(signal?: AbortSignal): Promise<string> {
    const o = this.#opts;
    const form = new URLSearchParams({ grant_type: o.flow });
    if (o.flow === 'password') {
      form.set('username', o.username ?? '');
      form.set('password', o.password ?? '');
    }
    if (o.scope) form.set('scope', o.scope);
    const basic = Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64');
    const res = await certCall(o.log, {
      vendor: CERT_VENDOR,
      operation: 'token',
      method: 'POST',
      url: o.tokenUrl,
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      dispatcher: o.dispatcher,
      signal,
    });
    if (res.status !== 200) throw tokenFailure(res);
    const parsed = tokenResponseSchema.safeParse(parseJson(res.body));
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
      validUntil: o.clock.now().getTime() + lifetime * 1000,
    };
    return parsed.data.access_token;
  }
}
