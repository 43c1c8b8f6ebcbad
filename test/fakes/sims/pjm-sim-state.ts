/**
 * The PJM simulator's behaviour: knobs, faults, sessions, rate limit and the vendor routes
 * (vendor-apis.md §6.1). Pure request → reply, so pjm-sim.ts only does sockets.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { Clock } from '../../../src/domain/clock.ts';
import type { PjmSimStore } from './pjm-sim-store.ts';
import { jsonReply as json, parseJson, type SimReply, textReply as text } from './sim-kit.ts';

export const pjmSimKnobsSchema = z.object({
  /** Selects the session cookie name: pjmauth (prod) or pjmauthtrain (train). */
  environment: z.enum(['prod', 'train']),
  /** The SSO host refuses, at the TLS layer, clients without a certificate from the test CA. */
  requireClientCert: z.boolean(),
  /** TLS 1.3 refuses a missing certificate after the handshake (the client sees a closed socket). */
  ssoTlsMaxVersion: z.enum(['TLSv1.2', 'TLSv1.3']),
  tokenTtlSeconds: z.number().int().min(1),
  /** How a secure call without a live session is answered. */
  sessionFailureStyle: z.enum(['html200', 'redirect302', 'status401']),
  rateLimitPerMinute: z.number().int().min(0),
  rateLimitAction: z.enum(['429', 'none']),
  /** Whether registrations awaiting CAM approval show in userSearch with activeOnly=F. */
  pendingVisibleWithActiveOnlyF: z.boolean(),
  /** Status for a caller without "Account Manager API" access ([UNKNOWN]; default 403 text/plain). */
  noApiAccessStatus: z.number().int().min(400).max(599),
  /** 'reordered-with-extra' reverses the columns and adds one, as a future PJM release might. */
  csvLayout: z.enum(['standard', 'reordered-with-extra']),
  /** Empty result: header line only, or an empty body ([UNKNOWN]). */
  emptySearchResult: z.enum(['header', 'empty']),
});
export type PjmSimKnobs = z.infer<typeof pjmSimKnobsSchema>;

export const PJM_SIM_DEFAULT_KNOBS: PjmSimKnobs = {
  environment: 'train',
  requireClientCert: true,
  ssoTlsMaxVersion: 'TLSv1.3',
  tokenTtlSeconds: 1200,
  sessionFailureStyle: 'html200',
  rateLimitPerMinute: 600,
  rateLimitAction: '429',
  pendingVisibleWithActiveOnlyF: true,
  noApiAccessStatus: 403,
  csvLayout: 'standard',
  emptySearchResult: 'header',
};

export const PJM_SIM_ROUTES = ['authenticate', 'logout', 'registrations', 'userSearch'] as const;
export type PjmSimRoute = (typeof PJM_SIM_ROUTES)[number];

export interface SimRequest {
  server: 'am' | 'sso';
  route: PjmSimRoute | 'other';
  method: string;
  url: URL;
  body: string;
  cookies: Map<string, string>;
  headers: IncomingHttpHeaders;
  clientCertOk: boolean;
  store: PjmSimStore;
  signInPage: string;
  ssoUrl: string;
  csvColumns: readonly string[];
}

/** Sessions, the rate-limit window and PJM's rules; knobs, faults and counters are the kit's. */
export class PjmSimState {
  /** Every tokenId handed out since the last reset (tests scan logs for them). */
  readonly issuedTokens: string[] = [];
  readonly #clock: Clock;
  readonly #knobs: () => PjmSimKnobs;
  readonly #tokens = new Map<string, { username: string; expiresAt: number }>();
  #window = { start: 0, count: 0 };

  constructor(clock: Clock, knobs: () => PjmSimKnobs) {
    this.#clock = clock;
    this.#knobs = knobs;
  }

  get knobs(): PjmSimKnobs {
    return this.#knobs();
  }

  reset(): void {
    this.#tokens.clear();
    this.issuedTokens.length = 0;
    this.#window = { start: 0, count: 0 };
  }

  liveSessions(): number {
    const now = this.#clock.now().getTime();
    return [...this.#tokens.values()].filter((t) => t.expiresAt > now).length;
  }

  handle(r: SimRequest): SimReply {
    return r.server === 'sso' ? this.#sso(r) : this.#accountManager(r);
  }

  #cookieName(): string {
    return this.knobs.environment === 'prod' ? 'pjmauth' : 'pjmauthtrain';
  }

  /** The SSO user behind a live session cookie of this environment, if any. */
  #session(r: SimRequest): string | undefined {
    const token = r.cookies.get(this.#cookieName());
    const live = token ? this.#tokens.get(token) : undefined;
    return live && live.expiresAt > this.#clock.now().getTime() ? live.username : undefined;
  }

  #sso(r: SimRequest): SimReply {
    if (r.route === 'logout') {
      const token = r.cookies.get(this.#cookieName());
      if (r.method !== 'POST' || !token || !this.#tokens.delete(token)) {
        return json(401, { code: 401, reason: 'Unauthorized', message: 'Invalid session' });
      }
      return json(200, { result: 'Successfully logged out' });
    }
    if (r.route !== 'authenticate') return text(404, 'Not Found');
    if (r.method !== 'POST') return text(405, 'Method Not Allowed');
    // OpenAM reads a non-empty body as the continuation of a callback login.
    if (r.body.length > 0)
      return json(400, { code: 400, reason: 'Bad Request', message: 'Invalid callback' });
    const cert = r.url.pathname.replace(/\/$/, '').endsWith('/pjmauthcert');
    const username = String(r.headers['x-openam-username'] ?? '');
    const password = String(r.headers['x-openam-password'] ?? '');
    const user = r.store.ssoUsers.get(username.toLowerCase());
    const refused = json(401, { code: 401, reason: 'Unauthorized', message: 'Authentication Failed' });
    if (!user || user.password !== password) return refused;
    if (cert && this.knobs.requireClientCert && !r.clientCertOk) return refused;
    if (!user.certApproved) return json(200, { authId: randomBytes(12).toString('hex'), callbacks: [] });
    const tokenId = `AQIC5wM2LY4S${randomBytes(18).toString('base64url')}*`;
    const expiresAt = this.#clock.now().getTime() + this.knobs.tokenTtlSeconds * 1000;
    this.#tokens.set(tokenId, { username: user.username, expiresAt });
    this.issuedTokens.push(tokenId);
    return json(200, { tokenId, successUrl: '/access/console', realm: '/' });
  }

  #accountManager(r: SimRequest): SimReply {
    const path = r.url.pathname;
    if (!path.startsWith('/accountmanager/rest/')) return text(404, 'Not Found');
    const throttled = this.#rateLimit();
    if (throttled) return throttled;
    if (path.startsWith('/accountmanager/rest/secure/')) {
      const username = this.#session(r);
      if (!username) return this.#sessionFailure(r);
      if (!r.store.ssoUsers.get(username.toLowerCase())?.hasApiAccess) {
        return text(this.knobs.noApiAccessStatus, 'User does not have Account Manager API access');
      }
    }
    if (r.route === 'registrations') {
      const outcome = r.store.register(parseJson(r.body));
      return json(
        outcome.status,
        outcome.messages.map((message) => ({
          type: outcome.status === 200 ? 'INFO' : 'ERROR',
          lineNumber: null,
          message,
        })),
      );
    }
    if (r.route === 'userSearch' && r.method === 'GET') {
      const declared = Number(r.headers['content-length'] ?? 0);
      // PJM's security appliance refuses a GET that carries a body (since 2025-11-01).
      if (r.body.length > 0 || declared > 0 || r.headers['transfer-encoding']) {
        return text(400, 'Request Rejected', 'text/html');
      }
      const csv = r.store.search(r.url.searchParams, {
        pendingVisible: this.knobs.pendingVisibleWithActiveOnlyF,
        columns: r.csvColumns,
      });
      const empty = csv.split('\r\n').filter(Boolean).length <= 1;
      return text(200, empty && this.knobs.emptySearchResult === 'empty' ? '' : csv);
    }
    return text(
      500,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><errorResponse><errorType>javax.ws.rs.NotFoundException</errorType><message>RESTEASY003210: Could not find resource for full path: ${r.url.href.replace('https://sim.invalid', '')}</message></errorResponse>`,
      'application/xml',
    );
  }

  #sessionFailure(r: SimRequest): SimReply {
    if (this.knobs.sessionFailureStyle === 'redirect302') {
      return {
        status: 302,
        headers: { Location: `${r.ssoUrl}/access/UI/Login?goto=${encodeURIComponent(r.url.pathname)}` },
      };
    }
    if (this.knobs.sessionFailureStyle === 'status401') {
      return json(401, { code: 401, reason: 'Unauthorized', message: 'Access Denied' });
    }
    return text(200, r.signInPage, 'text/html;charset=UTF-8');
  }

  /** Fixed one-minute windows on the simulator clock; PJM's own behaviour on excess is [UNKNOWN]. */
  #rateLimit(): SimReply | undefined {
    const now = this.#clock.now().getTime();
    const start = Math.floor(now / 60_000) * 60_000;
    if (start !== this.#window.start) this.#window = { start, count: 0 };
    this.#window.count++;
    if (this.#window.count <= this.knobs.rateLimitPerMinute || this.knobs.rateLimitAction !== '429')
      return undefined;
    const retryAfter = Math.max(1, Math.ceil((start + 60_000 - now) / 1000));
    return {
      status: 429,
      headers: { 'Content-Type': 'text/plain', 'Retry-After': String(retryAfter) },
      body: 'Too Many Requests',
    };
  }
}
