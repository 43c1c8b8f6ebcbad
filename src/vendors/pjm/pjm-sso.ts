/**
 * PJM SSO (ForgeRock OpenAM "browserless" sign-in, vendor-apis.md §1.2): one POST with the
 * X-OpenAM headers and an EMPTY body (a body would be read as a callback continuation) → tokenId.
 * With a PKCS#12 certificate the call goes to /pjmauthcert over mutual TLS on a separate Agent.
 */
import { type Agent, errors as undiciErrors } from 'undici';
import { VendorError } from '../../errors.ts';
import { createVendorAgent } from '../http.ts';
import { type PjmDeps, pjmCall, pjmHttpError, withRequestSent } from './pjm-call.ts';
import type { PjmConnection } from './pjm-connection.ts';
import { pjmSsoErrorSchema, pjmSsoResponseSchema } from './pjm-schemas.ts';

/** Sign-in has no side effect at PJM, so transport failures are retried (never a 401: lockout risk). */
const LOGIN_ATTEMPTS = 3;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class PjmSso {
  readonly #conn: PjmConnection;
  readonly #deps: PjmDeps;
  /**
   * Carries the client certificate when one is configured. Logout uses it too: the SSO host is one
   * TLS endpoint, and offering a certificate the server does not ask for changes nothing.
   */
  readonly #agent: Agent;

  constructor(conn: PjmConnection, deps: PjmDeps) {
    this.#conn = conn;
    this.#deps = deps;
    this.#agent = createVendorAgent({
      timeoutMs: conn.timeoutMs,
      ca: conn.ca,
      pfx: conn.pfx,
      passphrase: conn.passphrase,
    });
  }

  /**
   * A fresh tokenId. Every error it throws has requestSent false: nothing reached Account Manager.
   * @throws VendorError auth (401, no tokenId, TLS refused), throttle, transient
   */
  async login(signal?: AbortSignal): Promise<string> {
    let last: VendorError | undefined;
    for (let attempt = 0; attempt < LOGIN_ATTEMPTS; attempt++) {
      try {
        return await this.#loginOnce(signal);
      } catch (e) {
        if (!(e instanceof VendorError)) throw e;
        if (e.kind !== 'transient') throw withRequestSent(e, false);
        last = e;
      }
    }
    throw this.#explainTransient(last);
  }

  /** Best effort: ends the PJM session; a failure is logged at debug and otherwise ignored. */
  async logout(token: string): Promise<void> {
    try {
      const res = await pjmCall(this.#deps, {
        operation: 'sso-logout',
        method: 'POST',
        url: `${this.#conn.ssoUrl}/access/logout`,
        headers: { Cookie: `${this.#conn.cookieName}=${token}` },
        body: '',
        dispatcher: this.#agent,
      });
      if (res.status !== 200)
        this.#deps.log.debug({ vendor: 'pjm', status: res.status }, 'pjm logout not confirmed');
    } catch {
      // Already logged by pjmCall; an orphaned session simply expires at PJM.
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #loginOnce(signal?: AbortSignal): Promise<string> {
    const path = this.#conn.pfx ? '/access/authenticate/pjmauthcert' : '/access/authenticate/';
    const res = await pjmCall(this.#deps, {
      operation: 'sso-authenticate',
      method: 'POST',
      url: `${this.#conn.ssoUrl}${path}`,
      headers: {
        'Content-Type': 'application/json',
        'X-OpenAM-Username': this.#conn.username,
        'X-OpenAM-Password': this.#conn.password,
      },
      body: '',
      dispatcher: this.#agent,
      signal,
    });
    const json = parseJson(res.body);
    if (res.status === 401) {
      const words = pjmSsoErrorSchema.safeParse(json);
      const said = words.success ? (words.data.message ?? words.data.reason) : undefined;
      throw new VendorError({
        vendor: 'pjm',
        kind: 'auth',
        httpStatus: 401,
        message: `PJM sign-in refused${said ? ` (${said})` : ''}. Check the PJM username, password, environment and certificate approval`,
      });
    }
    if (res.status < 200 || res.status >= 300) throw pjmHttpError('sso-authenticate', res, this.#deps.clock);
    const body = pjmSsoResponseSchema.safeParse(json);
    if (body.success && body.data.tokenId) return body.data.tokenId;
    throw new VendorError({
      vendor: 'pjm',
      kind: 'auth',
      httpStatus: res.status,
      message:
        'PJM sign-in gave no session token: the client certificate may not be approved by your Company Account Manager yet, or PJM asks for an extra sign-in step a bot cannot answer',
    });
  }

  /**
   * Under TLS 1.3 a server that refuses the client certificate just closes the connection after
   * the handshake, so a sign-in that keeps being closed over HTTPS is reported as a certificate
   * problem (auth), not as a network blip.
   */
  #explainTransient(last: VendorError | undefined): VendorError {
    if (last && last.cause instanceof undiciErrors.SocketError && this.#conn.ssoUrl.startsWith('https:')) {
      return new VendorError({
        vendor: 'pjm',
        kind: 'auth',
        message:
          'PJM SSO closed the connection during sign-in: the client certificate is missing, expired or not accepted. Check PJM_CLIENT_CERT_P12 and its approval',
        cause: last,
      });
    }
    return last
      ? withRequestSent(last, false)
      : new VendorError({ vendor: 'pjm', kind: 'unknown', message: 'PJM sign-in failed' });
  }
}
