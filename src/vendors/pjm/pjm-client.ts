/**
 * PJM Account Manager client (vendor-apis.md §1.3, §1.4). A PjmSession is one job's sign-in: it
 * signs in lazily, reuses the token for its calls, signs in again once when PJM shows the session
 * is gone, and signs out on close(). Reads are retried by VendorHttp around the one call only, so
 * sign-ins never multiply with read retries.
 */
import { VendorError } from '../../errors.ts';
import {
  type Interpret,
  parseJsonBody,
  type VendorHttp,
  type VendorHttpResponse,
  type VendorRequest,
} from '../http.ts';
import type { VendorText } from '../provisioner.ts';
import { isSessionGone, type PjmDeps, pjmHttp, pjmHttpError } from './pjm-call.ts';
import type { PjmConnection } from './pjm-connection.ts';
import { parsePjmUserSearchCsv } from './pjm-csv.ts';
import {
  PJM_SEARCH_PARAMS,
  type PjmRegistration,
  type PjmUser,
  type PjmUserSearchQuery,
  pjmMessagesSchema,
  pjmRegistrationSchema,
} from './pjm-schemas.ts';
import { PjmSso } from './pjm-sso.ts';

/** PJM's verdict on a registration; messages are PJM's own words, HTML as PJM sent it (views convert). */
export type PjmRegistrationResult = { accepted: boolean; messages: VendorText[] };

type SecureRequest = Omit<VendorRequest, 'operation' | 'signal'>;

/** A secure call's answer came from the session check in front of Account Manager. */
class SessionGone {
  readonly httpStatus: number;
  constructor(httpStatus: number) {
    this.httpStatus = httpStatus;
  }
}

interface SessionContext {
  conn: PjmConnection;
  deps: PjmDeps;
  sso: PjmSso;
  http: VendorHttp;
}

export class PjmClient {
  readonly #conn: PjmConnection;
  readonly #deps: PjmDeps;
  readonly #sso: PjmSso;
  readonly #http: VendorHttp;

  constructor(conn: PjmConnection, deps: PjmDeps) {
    this.#conn = conn;
    this.#deps = deps;
    this.#sso = new PjmSso(conn, deps);
    this.#http = pjmHttp(conn, deps, false);
  }

  /** Sign in and straight out again (npm run doctor). @throws VendorError as login does */
  async checkSignIn(signal?: AbortSignal): Promise<void> {
    await this.#sso.logout(await this.#sso.login(signal));
  }

  /** A session for one job; the caller MUST close() it so PJM's session is ended. */
  openSession(): PjmSession {
    return new PjmSession({ conn: this.#conn, deps: this.#deps, sso: this.#sso, http: this.#http });
  }

  async close(): Promise<void> {
    await Promise.all([this.#sso.close(), this.#http.close()]);
  }
}

export class PjmSession {
  readonly #ctx: SessionContext;
  #token: string | undefined;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  /**
   * POST /rest/secure/registrations, once. 200 INFO → accepted; 400 ERROR list → not accepted.
   * @throws VendorError for sign-in, throttling, transport and unreadable answers
   */
  async register(payload: PjmRegistration, signal?: AbortSignal): Promise<PjmRegistrationResult> {
    const body = JSON.stringify(pjmRegistrationSchema.parse(payload));
    const url = new URL('rest/secure/registrations', this.#ctx.conn.accountManagerUrl);
    // Repeating after a sign-in page, redirect or 401 is safe even though this POST is not
    // idempotent: those answers come from the session check in front of Account Manager, so PJM
    // never processed the registration.
    return this.#secure(
      'registrations',
      {
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
      },
      (res) => this.#readRegistration(res),
      { idempotent: false, signal },
    );
  }

  /** GET userSearch (never with a body: PJM's appliance rejects such GETs) → users, grouped. */
  async searchUsers(query: PjmUserSearchQuery, signal?: AbortSignal): Promise<PjmUser[]> {
    const url = new URL('rest/secure/download/csv/userSearch', this.#ctx.conn.accountManagerUrl);
    for (const name of PJM_SEARCH_PARAMS) {
      const value = query[name];
      if (value) url.searchParams.set(name, value);
    }
    return this.#secure(
      'userSearch',
      { method: 'GET', url, headers: { Accept: 'text/plain' } },
      (res) => {
        if (res.status < 200 || res.status >= 300)
          throw pjmHttpError('userSearch', res, this.#ctx.deps.clock);
        return parsePjmUserSearchCsv(res.body);
      },
      { idempotent: true, signal },
    );
  }

  /** Signs out when signed in; never throws. */
  async close(): Promise<void> {
    const token = this.#token;
    this.#token = undefined;
    if (token) await this.#ctx.sso.logout(token);
  }

  async #secure<T>(
    operation: string,
    req: SecureRequest,
    interpret: Interpret<T>,
    opts: { idempotent: boolean; signal?: AbortSignal },
  ): Promise<T> {
    const { http, sso } = this.#ctx;
    const send = (token: string) => {
      const call: VendorRequest = {
        ...req,
        operation,
        headers: { ...req.headers, Cookie: `${this.#ctx.conn.cookieName}=${token}` },
        signal: opts.signal,
      };
      const read = (res: VendorHttpResponse) =>
        isSessionGone(res) ? new SessionGone(res.status) : interpret(res);
      return opts.idempotent ? http.read(call, read) : http.call(call, read);
    };
    this.#token ??= await sso.login(opts.signal);
    const first = await send(this.#token);
    if (!(first instanceof SessionGone)) return first;
    this.#token = await sso.login(opts.signal);
    const second = await send(this.#token);
    if (!(second instanceof SessionGone)) return second;
    throw new VendorError({
      vendor: 'pjm',
      kind: 'auth',
      httpStatus: second.httpStatus,
      message: `PJM ${operation}: Account Manager refused the session right after sign-in. Check PJM_ENVIRONMENT (prod uses cookie pjmauth, train pjmauthtrain) and that the PJM user has Account Manager API access`,
      requestSent: false,
    });
  }

  #readRegistration(res: VendorHttpResponse): PjmRegistrationResult {
    const parsed = pjmMessagesSchema.safeParse(parseJsonBody(res.body));
    const list = parsed.success ? parsed.data : null;
    const errors = list?.filter((m) => m.type.toUpperCase() === 'ERROR') ?? [];
    const words = (ms: { message: string }[]) => ms.map((m): VendorText => ({ html: m.message }));
    if (res.status >= 200 && res.status < 300) {
      if (!list) {
        throw new VendorError({
          vendor: 'pjm',
          kind: 'unknown',
          httpStatus: res.status,
          message: `PJM registrations: HTTP ${res.status} without PJM's message list; the registration may have been submitted, check Account Manager`,
          requestSent: true,
        });
      }
      return errors.length > 0
        ? { accepted: false, messages: words(errors) }
        : { accepted: true, messages: words(list) };
    }
    if (res.status === 400 && list && list.length > 0) {
      return { accepted: false, messages: words(errors.length > 0 ? errors : list) };
    }
    if (res.status === 400) {
      throw new VendorError({
        vendor: 'pjm',
        kind: 'validation',
        httpStatus: 400,
        message: 'PJM refused the registration (HTTP 400) without saying why',
        requestSent: false,
      });
    }
    throw pjmHttpError('registrations', res, this.#ctx.deps.clock);
  }
}
