/**
 * PJM simulator (vendor-apis.md §6.1): OpenAM SSO over HTTPS (mutual TLS on demand) and Account
 * Manager over HTTPS, both on 127.0.0.1 port 0, with every [UNKNOWN] behaviour as a knob. Knobs,
 * faults, counters and the /__sim/ endpoints come from the shared kit (sim-kit.ts); this file keeps
 * PJM's routes. A plain module (no vitest) so the sandbox can run it; it logs nothing.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { PjmSettings } from '../../../src/config/schema.ts';
import { type Clock, systemClock } from '../../../src/domain/clock.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/vendors/http.ts';
import { type TestPki, testPki } from '../tls.ts';
import {
  PJM_SIM_DEFAULT_KNOBS,
  PJM_SIM_ROUTES,
  type PjmSimKnobs,
  type PjmSimRoute,
  PjmSimState,
  pjmSimKnobsSchema,
} from './pjm-sim-state.ts';
import {
  PJM_SIM_CSV_HEADER,
  type PjmSimAccount,
  type PjmSimSsoUser,
  PjmSimStore,
  type PjmSimUser,
  pjmSimAccountSchema,
  pjmSimSsoUserSchema,
  pjmSimUserSchema,
} from './pjm-sim-store.ts';
import { SIM_APPROVAL_DEFAULTS } from './sim-approval-defaults.ts';
import {
  closeServer,
  jsonReply,
  listen,
  readBody,
  type SimFault,
  SimKit,
  type SimReply,
  send,
  textReply,
  tlsServer,
} from './sim-kit.ts';

export type { PjmSimKnobs, PjmSimRoute } from './pjm-sim-state.ts';
export type { PjmSimAccount, PjmSimSsoUser, PjmSimUser } from './pjm-sim-store.ts';

/** `/__sim/seed`: accounts, users and SSO users to add. */
const seedSchema = z.object({
  accounts: z.array(pjmSimAccountSchema).default([]),
  users: z.array(pjmSimUserSchema).default([]),
  ssoUsers: z.array(pjmSimSsoUserSchema).default([]),
});

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

const SIGN_IN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign In</title></head><body><form id="loginform">PJM Sign In</form></body></html>';

export class PjmSim {
  readonly pki: TestPki;
  readonly store = new PjmSimStore();
  readonly state: PjmSimState;
  readonly #kit: SimKit<PjmSimRoute, typeof pjmSimKnobsSchema>;
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
    this.#kit = new SimKit({
      routes: PJM_SIM_ROUTES,
      knobsSchema: pjmSimKnobsSchema,
      knobs: { ...PJM_SIM_DEFAULT_KNOBS, ...options.knobs },
      pages: {
        status5xx: (status) => textReply(status, 'Service Unavailable'),
        status429: textReply(429, 'Too Many Requests'),
      },
    });
    this.state = new PjmSimState(options.clock ?? systemClock, () => this.#kit.knobs);
    const tls = { key: this.pki.serverKeyPem, cert: this.pki.serverCertPem, ca: this.pki.caPem };
    this.#am = tlsServer(tls, (req, res) => this.#serve('am', req, res));
    this.#sso = tlsServer({ ...tls, requestCert: true, rejectUnauthorized: false }, (req, res) =>
      this.#serve('sso', req, res),
    );
    this.seedDefaults();
  }

  async listen(): Promise<void> {
    this.url = `${await listen(this.#am)}/accountmanager/`;
    this.ssoUrl = await listen(this.#sso);
    this.#applyTlsKnobs();
  }

  /** Number of registration POSTs that reached the simulator (faulted ones included). */
  get createCalls(): number {
    return this.#kit.calls.registrations;
  }

  /** Calls per route since start or reset, faulted ones included. */
  get calls(): Readonly<Record<PjmSimRoute, number>> {
    return this.#kit.calls;
  }

  get knobs(): Readonly<PjmSimKnobs> {
    return this.#kit.knobs;
  }

  setKnobs(knobs: Partial<PjmSimKnobs>): void {
    this.#kit.setKnobs(knobs);
    this.#applyTlsKnobs();
  }

  /** The next `times` calls of `route` get `fault` instead of (or after) normal processing. */
  fault(route: PjmSimRoute, fault: SimFault, times = 1): void {
    this.#kit.fault(route, fault, times);
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
    this.#kit.reset();
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
      environment: this.knobs.environment,
      accountManagerUrl: this.url,
      ssoUrl: this.ssoUrl,
      ssoUsername: this.botUser.username,
      ssoPassword: this.botUser.password,
      clientCertP12,
      clientCertPassphrase: this.pki.clientP12Passphrase,
      caFile,
      pendingVisibleInSearch: this.knobs.pendingVisibleWithActiveOnlyF,
      accountAccess: [...(this.store.accounts.get('ACCT')?.accessNames ?? [])],
      employers: [...this.store.accounts.values()].map((a) => a.shortName),
      timeoutMs: 5_000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      ...overrides,
    };
  }

  async close(): Promise<void> {
    for (const server of [this.#am, this.#sso]) await closeServer(server);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Rejecting at the TLS layer needs the server-wide flags; Node reads them per new connection. */
  #applyTlsKnobs(): void {
    Object.assign(this.#sso, { rejectUnauthorized: this.knobs.requireClientCert });
    this.#sso.setSecureContext({
      key: this.pki.serverKeyPem,
      cert: this.pki.serverCertPem,
      ca: this.pki.caPem,
      maxVersion: this.knobs.ssoTlsMaxVersion,
    });
  }

  async #serve(server: 'am' | 'sso', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const method = req.method ?? 'GET';
    if (server === 'am' && url.pathname.startsWith('/__sim/')) {
      send(res, this.#control(method, url.pathname, body));
      return;
    }
    const route = routeOf(server, method, url.pathname);
    const cookies = parseCookies(req.headers.cookie);
    this.requests.push({
      route,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      bodyLength: body.length,
      cookieNames: [...cookies.keys()],
    });
    const reply = (): SimReply =>
      this.state.handle({
        server,
        route,
        method,
        url,
        body,
        cookies,
        headers: req.headers,
        clientCertOk: server === 'sso' && 'authorized' in req.socket && req.socket.authorized === true,
        store: this.store,
        signInPage: SIGN_IN_PAGE,
        ssoUrl: this.ssoUrl,
        csvColumns: csvColumns(this.knobs.csvLayout),
      });
    if (route === 'other') send(res, reply());
    else await this.#kit.serve(route, req, res, reply);
  }

  #control(method: string, path: string, body: string): SimReply {
    return this.#kit.control(method, path, body, {
      state: () => ({ createCalls: this.createCalls, liveSessions: this.liveSessions(), knobs: this.knobs }),
      reset: () => this.reset(),
      seed: (input) => {
        const seed = seedSchema.safeParse(input);
        if (!seed.success) return jsonReply(400, { error: z.prettifyError(seed.error) });
        for (const a of seed.data.accounts) this.seedAccount(a);
        for (const u of seed.data.users) this.seedUser(u);
        for (const u of seed.data.ssoUsers) this.seedSsoUser(u);
        return jsonReply(200, { seeded: true });
      },
      more: (path) => {
        const approve = /^\/__sim\/pjm\/approve\/([^/]+)$/.exec(path);
        if (!approve?.[1]) return undefined;
        return this.approve(decodeURIComponent(approve[1]))
          ? jsonReply(200, { approved: true })
          : textReply(400, 'no pending registration');
      },
    });
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
