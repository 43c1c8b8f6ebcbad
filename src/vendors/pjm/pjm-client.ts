/**
 * PJM Account Manager client (vendor-apis.md §1.3, §1.4). A PjmSession is one job's sign-in: it
 * signs in lazily, reuses the token for its calls, signs in again once when PJM shows the session
 * is gone, and signs out on close().
 */
import type { Agent } from 'undici';
import { VendorError } from '../../errors.ts';
import { createVendorAgent, type VendorHttpRequest, type VendorHttpResponse } from '../http.ts';
import type { VendorText } from '../provisioner.ts';
import { isSessionGone, type PjmDeps, pjmCall, pjmHttpError } from './pjm-call.ts';
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

/** Reads are idempotent: at most this many tries on a transient failure, back to back. */
const READ_ATTEMPTS = 3;

type SecureRequest = Pick<VendorHttpRequest, 'method' | 'url' | 'headers' | 'body'>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class PjmClient {
  readonly #conn: PjmConnection;
  readonly #deps: PjmDeps;
  readonly #sso: PjmSso;
  readonly #agent: Agent;

  constructor(conn: PjmConnection, deps: PjmDeps) {
    this.#conn = conn;
    this.#deps = deps;
    this.#sso = new PjmSso(conn, deps);
    this.#agent = createVendorAgent({ timeoutMs: conn.timeoutMs, ca: conn.ca });
  }

  /** A session for one job; the caller MUST close() it so PJM's session is ended. */
  openSession(): PjmSession {
    return new PjmSession({ conn: this.#conn, deps: this.#deps, sso: this.#sso, agent: this.#agent });
  }

  async close(): Promise<void> {
    await Promise.all([this.#sso.close(), this.#agent.close()]);
  }
}

export class PjmSession {
  readonly #ctx: { conn: PjmConnection; deps: PjmDeps; sso: PjmSso; agent: Agent };
  #token: string | undefined;

  constructor(ctx: { conn: PjmConnection; deps: PjmDeps; sso: PjmSso; agent: Agent }) {
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
    const res = await this.#secure(
      'registrations',
      {
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
      },
      signal,
    );
    return this.#readRegistration(res);
  }

  /** GET userSearch (never with a body: PJM's appliance rejects such GETs) → users, grouped. */
  async searchUsers(query: PjmUserSearchQuery, signal?: AbortSignal): Promise<PjmUser[]> {
    const url = new URL('rest/secure/download/csv/userSearch', this.#ctx.conn.accountManagerUrl);
    for (const name of PJM_SEARCH_PARAMS) {
      const value = query[name];
      if (value) url.searchParams.set(name, value);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.#secure(
          'userSearch',
          { method: 'GET', url, headers: { Accept: 'text/plain' } },
          signal,
        );
        if (res.status < 200 || res.status >= 300)
          throw pjmHttpError('userSearch', res, this.#ctx.deps.clock);
        return parsePjmUserSearchCsv(res.body);
      } catch (e) {
        if (!(e instanceof VendorError) || e.kind !== 'transient' || attempt >= READ_ATTEMPTS) throw e;
        this.#ctx.deps.log.debug({ vendor: 'pjm', operation: 'userSearch', attempt }, 'pjm read retried');
      }
    }
  }

  /** Signs out when signed in; never throws. */
  async close(): Promise<void> {
    const token = this.#token;
    this.#token = undefined;
    if (token) await this.#ctx.sso.logout(token);
  }

  async #secure(operation: string, req: SecureRequest, signal?: AbortSignal): Promise<VendorHttpResponse> {
    const send = async () => {
      this.#token ??= await this.#ctx.sso.login(signal);
      return pjmCall(this.#ctx.deps, {
        ...req,
        operation,
        headers: { ...req.headers, Cookie: `${this.#ctx.conn.cookieName}=${this.#token}` },
        dispatcher: this.#ctx.agent,
        signal,
      });
    };
    const first = await send();
    if (!isSessionGone(first)) return first;
    this.#ctx.deps.log.debug(
      { vendor: 'pjm', operation, status: first.status },
      'pjm session gone; signing in again',
    );
    this.#token = undefined;
    const second = await send();
    if (!isSessionGone(second)) return second;
    throw new VendorError({
      vendor: 'pjm',
      kind: 'auth',
      httpStatus: second.status,
      message: `PJM ${operation}: Account Manager refused the session right after sign-in. Check PJM_ENVIRONMENT (prod uses cookie pjmauth, train pjmauthtrain) and that the PJM user has Account Manager API access`,
      requestSent: false,
    });
  }

  #readRegistration(res: VendorHttpResponse): PjmRegistrationResult {
    const parsed = pjmMessagesSchema.safeParse(parseJson(res.body));
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
