/**
 * PJM SSO (ForgeRock OpenAM "browserless" sign-in, vendor-apis.md §1.2): one POST with the
 * X-OpenAM headers and an EMPTY body (a body would be read as a callback continuation) → tokenId.
 * With a PKCS#12 certificate the call goes to /pjmauthcert over mutual TLS on its own connection.
 */
import { errors as undiciErrors } from 'undici';
import { VendorError } from '../../errors.ts';
import { parseJsonBody, type VendorHttp, type VendorHttpResponse, withChanges } from '../http.ts';
import { errorCode } from '../http-classify.ts';
import { type PjmDeps, pjmHttp, pjmHttpError } from './pjm-call.ts';
import type { PjmConnection } from './pjm-connection.ts';
import { pjmSsoErrorSchema, pjmSsoResponseSchema } from './pjm-schemas.ts';

export class PjmSso {
  readonly #conn: PjmConnection;
  readonly #deps: PjmDeps;
  /**
   * Carries the client certificate when one is configured. Logout uses it too: the SSO host is one
   * TLS endpoint, and offering a certificate the server does not ask for changes nothing.
   */
  readonly #http: VendorHttp;

  constructor(conn: PjmConnection, deps: PjmDeps) {
    this.#conn = conn;
    this.#deps = deps;
    this.#http = pjmHttp(conn, deps, true);
  }

  /**
   * A fresh tokenId: at most two tries, the second only after a transport error (a 401 is never
   * repeated: lockout risk). Every error it throws has requestSent false: nothing reached Account
   * Manager.
   * @throws VendorError auth (401, no tokenId, TLS refused), throttle, transient
   */
  async login(signal?: AbortSignal): Promise<string> {
    try {
      return await this.#http.signIn(() => this.#loginOnce(signal), signal);
    } catch (e) {
      if (!(e instanceof VendorError)) throw e;
      throw this.#explain(e);
    }
  }

  /** Best effort, within the PJM deadline: ends the session; a failure only costs a log line. */
  async logout(token: string): Promise<void> {
    await this.#http
      .call(
        {
          operation: 'sso-logout',
          method: 'POST',
          url: `${this.#conn.ssoUrl}/access/logout`,
          headers: { Cookie: `${this.#conn.cookieName}=${token}` },
          body: '',
        },
        (res) => res.status,
      )
      // Already logged by the call; an orphaned session simply expires at PJM.
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.#http.close();
  }

  #loginOnce(signal?: AbortSignal): Promise<string> {
    const path = this.#conn.pfx ? '/access/authenticate/pjmauthcert' : '/access/authenticate/';
    return this.#http.call(
      {
        operation: 'sso-authenticate',
        method: 'POST',
        url: `${this.#conn.ssoUrl}${path}`,
        headers: {
          'Content-Type': 'application/json',
          'X-OpenAM-Username': this.#conn.username,
          'X-OpenAM-Password': this.#conn.password,
        },
        body: '',
        signal,
      },
      (res) => this.#readToken(res),
    );
  }

  #readToken(res: VendorHttpResponse): string {
    const json = parseJsonBody(res.body);
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
   * Under TLS 1.3 a server that refuses the client certificate closes the connection after the
   * handshake, so a sign-in that is closed twice over HTTPS is a certificate problem (auth), not a
   * network blip.
   */
  #explain(e: VendorError): VendorError {
    const closed = e.cause instanceof undiciErrors.SocketError || errorCode(e.cause) === 'ECONNRESET';
    if (e.kind === 'transient' && e.httpStatus === null && closed && this.#conn.ssoUrl.startsWith('https:')) {
      return new VendorError({
        vendor: 'pjm',
        kind: 'auth',
        message:
          'PJM SSO closed the connection during sign-in: the client certificate is missing, expired or not accepted. Check PJM_CLIENT_CERT_P12 and its approval',
        cause: e,
      });
    }
    return withChanges(e, { requestSent: false });
  }
}
