/**
 * PJM simulator (vendor-apis.md §6.1): OpenAM SSO over HTTPS (mutual TLS on demand) and Account
 * Manager over HTTPS, both on 127.0.0.1 port 0, with every [UNKNOWN] behaviour as a knob and
 * per-route fault injection. A plain module (no vitest) so the sandbox can run it; it logs nothing.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PjmSettings } from '../../../src/config/schema.ts';
import { type Clock, systemClock } from '../../../src/domain/clock.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/vendors/http.ts';
import { type TestPki, testPki } from '../tls.ts';
import { handleSimControl } from './pjm-sim-control.ts';
import { type PjmSimFault, type PjmSimKnobs, type PjmSimRoute, PjmSimState } from './pjm-sim-state.ts';
import {
  PJM_SIM_CSV_HEADER,
  type PjmSimAccount,
  type PjmSimSsoUser,
  PjmSimStore,
  type PjmSimUser,
} from './pjm-sim-store.ts';
import { SIM_APPROVAL_DEFAULTS } from './sim-approval-defaults.ts';

export type { PjmSimFault, PjmSimKnobs, PjmSimRoute } from './pjm-sim-state.ts';
export type { PjmSimAccount, PjmSimSsoUser, PjmSimUser } from './pjm-sim-store.ts';

export interface PjmSimOptions {
  knobs?: Partial<PjmSimKnobs>;
  /** Drives token expiry and the rate-limit window; default the system clock. */
  clock?: Clock;
}

/** What one request looked like on arrival (names only — no values of cookies or headers). */
export interface PjmSimRequest {
  route: PjmSimRoute | 'other';
  method: string;
  path: string;
  query: Record<string, string>;
  bodyLength: number;
  cookieNames: string[];
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const SIGN_IN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign In</title></head><body><form id="loginform">PJM Sign In</form></body></html>';

export class PjmSim {
  readonly pki: TestPki;
  readonly store = new PjmSimStore();
  readonly state: PjmSimState;
  /** Account Manager base, ending in /accountmanager/. */
  url = '';
  ssoUrl = '';
  /** The SSO user the bot signs in as (seeded, has Account Manager API access). */
  readonly botUser = { username: 'accessdeskbot', password: `Pw-${randomBytes(9).toString('base64url')}` };
  readonly requests: PjmSimRequest[] = [];
  readonly #am: https.Server;
  readonly #sso: https.Server;
  readonly #dir = mkdtempSync(join(tmpdir(), 'pjm-sim-'));

  constructor(options: PjmSimOptions = {}) {
    this.pki = testPki();
    this.state = new PjmSimState(options.clock ?? systemClock, options.knobs);
    const tls = { key: this.pki.serverKeyPem, cert: this.pki.serverCertPem, ca: this.pki.caPem };
    this.#am = https.createServer(tls, (req, res) => this.#serve('am', req, res));
    this.#sso = https.createServer({ ...tls, requestCert: true, rejectUnauthorized: false }, (req, res) =>
      this.#serve('sso', req, res),
    );
    this.seedDefaults();
  }

  async listen(): Promise<void> {
    const port = (server: https.Server) =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
    this.url = `https://127.0.0.1:${await port(this.#am)}/accountmanager/`;
    this.ssoUrl = `https://127.0.0.1:${await port(this.#sso)}`;
    this.#applyTlsKnobs();
  }

  /** Number of registration POSTs that reached the simulator (faulted ones included). */
  get createCalls(): number {
    return this.state.createCalls;
  }

  get knobs(): Readonly<PjmSimKnobs> {
    return this.state.knobs;
  }

  setKnobs(knobs: Partial<PjmSimKnobs>): void {
    this.state.setKnobs(knobs);
    this.#applyTlsKnobs();
  }

  /** The next `times` calls of `route` get `fault` instead of (or after) normal processing. */
  fault(route: PjmSimRoute, fault: PjmSimFault, times = 1): void {
    this.state.addFault(route, fault, times);
  }

  liveSessions(): number {
    return this.state.liveSessions();
  }

  seedAccount(a: PjmSimAccount): void {
    this.store.seedAccount(a);
  }
  seedUser(u: PjmSimUser): void {
    this.store.seedUser(u);
  }
  seedSsoUser(u: PjmSimSsoUser): void {
    this.store.seedSsoUser(u);
  }
  approve(username: string): boolean {
    return this.store.approve(username);
  }

  /** Accounts ACCT and OTHR and the bot's SSO user, as after start. */
  seedDefaults(): void {
    this.store.seedAccount({
      id: '999999',
      name: 'Account Test Company, LLC',
      shortName: 'ACCT',
      emailDomains: ['fake.com', 'example.com'],
      accessNames: ['PJM Public', 'Planning Center Queue Point Read Only', 'Power Meter Read Only'],
    });
    this.store.seedAccount({
      id: '888888',
      name: 'Other Power & Light',
      shortName: 'OTHR',
      emailDomains: ['otherpower.example'],
      accessNames: ['PJM Public'],
    });
    this.store.seedSsoUser({ ...this.botUser, hasApiAccess: true, certApproved: true });
  }

  /** Empty store (then the default seed), default knobs, no faults, no sessions, counters zeroed. */
  reset(): void {
    this.store.clear();
    this.state.reset();
    this.requests.length = 0;
    this.seedDefaults();
    this.#applyTlsKnobs();
  }

  /** Complete PjmSettings wired to this simulator (certificate files written to a temp dir). */
  settings(overrides: Partial<PjmSettings> = {}): PjmSettings {
    const caFile = join(this.#dir, 'ca.pem');
    const clientCertP12 = join(this.#dir, 'client.p12');
    writeFileSync(caFile, this.pki.caPem);
    writeFileSync(clientCertP12, this.pki.clientP12);
    return {
      ...SIM_APPROVAL_DEFAULTS,
      lookupUsers: [],
      lookupGroups: [],
      lookupEveryone: false,
      environment: this.state.knobs.environment,
      accountManagerUrl: this.url,
      ssoUrl: this.ssoUrl,
      ssoUsername: this.botUser.username,
      ssoPassword: this.botUser.password,
      clientCertP12,
      clientCertPassphrase: this.pki.clientP12Passphrase,
      caFile,
      pendingVisibleInSearch: this.state.knobs.pendingVisibleWithActiveOnlyF,
      accountAccess: [...(this.store.accounts.get('ACCT')?.accessNames ?? [])],
      employers: [...this.store.accounts.values()].map((a) => a.shortName),
      timeoutMs: 5_000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      ...overrides,
    };
  }

  async close(): Promise<void> {
    for (const server of [this.#am, this.#sso]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Rejecting at the TLS layer needs the server-wide flags; Node reads them per new connection. */
  #applyTlsKnobs(): void {
    Object.assign(this.#sso, { rejectUnauthorized: this.state.knobs.requireClientCert });
    this.#sso.setSecureContext({
      key: this.pki.serverKeyPem,
      cert: this.pki.serverCertPem,
      ca: this.pki.caPem,
      maxVersion: this.state.knobs.ssoTlsMaxVersion,
    });
  }

  async #serve(server: 'am' | 'sso', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const route = routeOf(server, req.method ?? 'GET', url.pathname);
    const cookies = parseCookies(req.headers.cookie);
    this.requests.push({
      route,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      bodyLength: body.length,
      cookieNames: [...cookies.keys()],
    });
    if (route === 'registrations') this.state.createCalls++;
    const fault = route === 'other' ? undefined : this.state.takeFault(route);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault && !fault.afterProcessing && this.#applyFault(fault, req, res)) return;
    const reply =
      server === 'am' && url.pathname.startsWith('/__sim/')
        ? handleSimControl(this, req.method ?? 'GET', url.pathname, body)
        : this.state.handle({
            server,
            route,
            method: req.method ?? 'GET',
            url,
            body,
            cookies,
            headers: req.headers,
            clientCertOk: server === 'sso' && 'authorized' in req.socket && req.socket.authorized === true,
            store: this.store,
            signInPage: SIGN_IN_PAGE,
            ssoUrl: this.ssoUrl,
            csvColumns: csvColumns(this.state.knobs.csvLayout),
          });
    if (fault?.afterProcessing && this.#applyFault(fault, req, res)) return;
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body ?? '');
  }

  /** True when the fault took the answer over. */
  #applyFault(fault: PjmSimFault, req: IncomingMessage, res: ServerResponse): boolean {
    if (fault.timeout) return true; // never answer; close() destroys the socket
    if (fault.reset) {
      req.socket.destroy();
      return true;
    }
    if (fault.status5xx) {
      res.writeHead(fault.status5xx, { 'Content-Type': 'text/plain' });
      res.end('Service Unavailable');
      return true;
    }
    if (fault.status429) {
      const retry = fault.status429.retryAfter;
      res.writeHead(429, { 'Content-Type': 'text/plain', ...(retry ? { 'Retry-After': retry } : {}) });
      res.end('Too Many Requests');
      return true;
    }
    return false;
  }
}

function routeOf(server: 'am' | 'sso', method: string, path: string): PjmSimRoute | 'other' {
  if (server === 'sso') {
    if (path.startsWith('/access/authenticate')) return 'authenticate';
    if (path.replace(/\/$/, '') === '/access/logout') return 'logout';
    return 'other';
  }
  if (method === 'POST' && path === '/accountmanager/rest/secure/registrations') return 'registrations';
  if (path === '/accountmanager/rest/secure/download/csv/userSearch') return 'userSearch';
  return 'other';
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function csvColumns(layout: PjmSimKnobs['csvLayout']): readonly string[] {
  return layout === 'standard' ? PJM_SIM_CSV_HEADER : ['Last Login', ...[...PJM_SIM_CSV_HEADER].reverse()];
}

export async function startPjmSim(options: PjmSimOptions = {}): Promise<PjmSim> {
  const sim = new PjmSim(options);
  await sim.listen();
  return sim;
}
