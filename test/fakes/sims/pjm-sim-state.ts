/**
 * The PJM simulator's behaviour: knobs, faults, sessions, rate limit and the vendor routes
 * (vendor-apis.md §6.1). Pure request → reply, so pjm-sim.ts only does sockets.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../../src/domain/clock.ts';
import type { Reply } from './pjm-sim.ts';
import type { PjmSimStore } from './pjm-sim-store.ts';

export interface PjmSimKnobs {
  /** Selects the session cookie name: pjmauth (prod) or pjmauthtrain (train). */
  environment: 'prod' | 'train';
  /** The SSO host refuses, at the TLS layer, clients without a certificate from the test CA. */
  requireClientCert: boolean;
  /** TLS 1.3 refuses a missing certificate after the handshake (the client sees a closed socket). */
  ssoTlsMaxVersion: 'TLSv1.2' | 'TLSv1.3';
  tokenTtlSeconds: number;
  /** How a secure call without a live session is answered. */
  sessionFailureStyle: 'html200' | 'redirect302' | 'status401';
  rateLimitPerMinute: number;
  rateLimitAction: '429' | 'none';
  /** Whether registrations awaiting CAM approval show in userSearch with activeOnly=F. */
  pendingVisibleWithActiveOnlyF: boolean;
  /** Status for a caller without "Account Manager API" access ([UNKNOWN]; default 403 text/plain). */
  noApiAccessStatus: number;
  /** 'reordered-with-extra' reverses the columns and adds one, as a future PJM release might. */
  csvLayout: 'standard' | 'reordered-with-extra';
  /** Empty result: header line only, or an empty body ([UNKNOWN]). */
  emptySearchResult: 'header' | 'empty';
}

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

export interface PjmSimFault {
  latencyMs?: number;
  /** Never answer. */
  timeout?: boolean;
  /** Destroy the socket after reading the request. */
  reset?: boolean;
  status5xx?: number;
  status429?: { retryAfter?: string };
  /** Process the request first (e.g. create the registration), then fail: the answer is lost. */
  afterProcessing?: boolean;
}

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

const json = (status: number, value: unknown): Reply => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});
const text = (status: number, body: string, type = 'text/plain'): Reply => ({
  status,
  headers: { 'Content-Type': type },
  body,
});

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export class PjmSimState {
  knobs: PjmSimKnobs;
  createCalls = 0;
  /** Every tokenId handed out since the last reset (tests scan logs for them). */
  readonly issuedTokens: string[] = [];
  readonly #clock: Clock;
  readonly #initial: Partial<PjmSimKnobs>;
  readonly #faults = new Map<PjmSimRoute, { fault: PjmSimFault; left: number }[]>();
  readonly #tokens = new Map<string, { username: string; expiresAt: number }>();
  #window = { start: 0, count: 0 };

  constructor(clock: Clock, knobs: Partial<PjmSimKnobs> = {}) {
    this.#clock = clock;
    this.#initial = knobs;
    this.knobs = { ...PJM_SIM_DEFAULT_KNOBS, ...knobs };
  }

  setKnobs(knobs: Partial<PjmSimKnobs>): void {
    this.knobs = { ...this.knobs, ...knobs };
  }

  reset(): void {
    this.knobs = { ...PJM_SIM_DEFAULT_KNOBS, ...this.#initial };
    this.createCalls = 0;
    this.#faults.clear();
    this.#tokens.clear();
    this.issuedTokens.length = 0;
    this.#window = { start: 0, count: 0 };
  }

  addFault(route: PjmSimRoute, fault: PjmSimFault, times: number): void {
    const queue = this.#faults.get(route) ?? [];
    queue.push({ fault, left: times });
    this.#faults.set(route, queue);
  }

  takeFault(route: PjmSimRoute): PjmSimFault | undefined {
    const head = this.#faults.get(route)?.[0];
    if (!head) return undefined;
    head.left--;
    if (head.left <= 0) this.#faults.get(route)?.shift();
    return head.fault;
  }

  liveSessions(): number {
    const now = this.#clock.now().getTime();
    return [...this.#tokens.values()].filter((t) => t.expiresAt > now).length;
  }

  handle(r: SimRequest): Reply {
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

  #sso(r: SimRequest): Reply {
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

  #accountManager(r: SimRequest): Reply {
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

  #sessionFailure(r: SimRequest): Reply {
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
  #rateLimit(): Reply | undefined {
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
