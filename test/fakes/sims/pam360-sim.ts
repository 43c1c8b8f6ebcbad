/**
 * PAM360 / Password Manager Pro simulator (vendor-apis.md §6.2): HTTPS on 127.0.0.1, port 0, with
 * the test PKI's server certificate. Every [UNKNOWN]/[INF] behaviour is a knob; faults are queued
 * per route. A plain module (no vitest): the sandbox imports it too. It logs nothing.
 */

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pam360SettingsSchema } from '../../../src/config/schema.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/vendors/http.ts';
import { testPki } from '../tls.ts';
import { handlePam360SimAdmin } from './pam360-sim-admin.ts';
import { PAM360_BUILTIN_ROLES, Pam360SimStore, type SimOutcome } from './pam360-sim-store.ts';
import {
  DEFAULT_PAM360_SIM_KNOBS,
  type Pam360Sim,
  type Pam360SimFault,
  type Pam360SimKnobs,
  type Pam360SimOptions,
  type Pam360SimRoute,
  pam360SimFaultSchema,
  pam360SimKnobsSchema,
  type RecordedRequest,
} from './pam360-sim-types.ts';
import { SIM_APPROVAL_DEFAULTS } from './sim-approval-defaults.ts';
import { SimHolds } from './sim-hold.ts';

export * from './pam360-sim-types.ts';

const OPERATION_NAMES: Record<Pam360SimRoute, string> = {
  createUser: 'CREATE_USER',
  getUserId: 'GET_USER_ID',
  deleteUser: 'DELETE_USER',
  lockUser: 'LOCK_USER',
  unlockUser: 'UNLOCK_USER',
};

const PROXY_HTML = (status: number) =>
  `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`;

function routeOf(method: string, path: string): { route: Pam360SimRoute; userId?: string } | null {
  const base = '/restapi/json/v1/user';
  if (method === 'POST' && path === base) return { route: 'createUser' };
  if (method === 'GET' && path === `${base}/getUserId`) return { route: 'getUserId' };
  if (method === 'PUT' && path === `${base}/lock`) return { route: 'lockUser' };
  if (method === 'PUT' && path === `${base}/unlock`) return { route: 'unlockUser' };
  const del = method === 'DELETE' ? /^\/restapi\/json\/v1\/user\/([^/]+)$/.exec(path) : null;
  return del?.[1] ? { route: 'deleteUser', userId: decodeURIComponent(del[1]) } : null;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
};

export async function startPam360Sim(options: Pam360SimOptions = {}): Promise<Pam360Sim> {
  const pki = testPki();
  const { botToken = randomUUID().toUpperCase(), departments, locations, ...knobOptions } = options;
  const startKnobs = pam360SimKnobsSchema.parse({ ...DEFAULT_PAM360_SIM_KNOBS, ...knobOptions });
  let knobs: Pam360SimKnobs = { ...startKnobs };
  const store = new Pam360SimStore();
  store.reset(botToken);
  const faults = new Map<Pam360SimRoute, { fault: Pam360SimFault; remaining: number }[]>();
  const holds = new SimHolds<Pam360SimRoute>();
  const zeroCalls = (): Record<Pam360SimRoute, number> => ({
    createUser: 0,
    getUserId: 0,
    deleteUser: 0,
    lockUser: 0,
    unlockUser: 0,
  });
  let calls = zeroCalls();
  let lastRequest: RecordedRequest | null = null;
  const tempDir = mkdtempSync(join(tmpdir(), 'pam360-sim-'));
  const caFile = join(tempDir, 'ca.pem');
  writeFileSync(caFile, pki.caPem);

  const takeFault = (route: Pam360SimRoute): Pam360SimFault | undefined => {
    const queue = faults.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    if (--head.remaining <= 0) queue.shift();
    return head.fault;
  };

  const spell = (status: SimOutcome['status']): string | boolean => {
    const ok = status === 'success';
    switch (knobs.statusCase) {
      case 'SUCCESS/FAILED':
        return ok ? 'SUCCESS' : 'FAILED';
      case 'true/false':
        return ok ? 'true' : 'false';
      case 'boolean':
        return ok;
      default:
        return ok ? 'Success' : 'Failed';
    }
  };

  const envelope = (name: string, o: SimOutcome): string => {
    const operation: Record<string, unknown> = { result: { message: o.message, status: spell(o.status) } };
    if (o.details) operation.Details = o.details;
    operation.name = name;
    return JSON.stringify({ operation });
  };

  /** Authentication, org and role checks shared by every API route; a string is the reply body. */
  const authenticate = (
    req: IncomingMessage,
    query: URLSearchParams,
    route: Pam360SimRoute,
  ): string | null => {
    const header = req.headers.authtoken;
    const token = (typeof header === 'string' ? header : null) ?? query.get('AUTHTOKEN') ?? '';
    const entry = store.tokens.get(token);
    const user = entry ? store.find(entry.username) : undefined;
    const auth = (message: string) => envelope('Authentication', { status: 'failed', message });
    if (!entry || user?.locked)
      return auth('API key received is not associated to any user. Authentication failed.');
    if (entry.host !== null) {
      if (!entry.hostResolvable && knobs.emptyBodyOnUnresolvableHost) return '';
      const hostHeader = req.headers['x-sim-client-host'];
      const client =
        typeof hostHeader === 'string'
          ? hostHeader
          : (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      if (!entry.hostResolvable || client.toLowerCase() !== entry.host.toLowerCase()) {
        return auth('User is not allowed to access from this host');
      }
    }
    const org = req.headers.orgname;
    if (typeof org === 'string' && !knobs.orgs.some((o) => o.toLowerCase() === org.toLowerCase())) {
      const name = knobs.unknownOrgAs === 'authentication' ? 'Authentication' : OPERATION_NAMES[route];
      return envelope(name, { status: 'failed', message: 'Organization not found' });
    }
    if (route !== 'getUserId' && !entry.admin) {
      return envelope(OPERATION_NAMES[route], {
        status: 'failed',
        message: 'You are not authorized to perform this operation',
      });
    }
    return null;
  };

  const inputData = (body: string, query: URLSearchParams): unknown => {
    const raw = new URLSearchParams(body).get('INPUT_DATA') ?? query.get('INPUT_DATA');
    if (knobs.inputData === 'missing' || raw === null) return undefined;
    try {
      return JSON.parse(knobs.inputData === 'notJson' ? `{${raw}` : raw);
    } catch {
      return undefined;
    }
  };

  const perform = (
    route: Pam360SimRoute,
    userId: string | undefined,
    query: URLSearchParams,
    body: string,
  ) => {
    const username = query.get('USERNAME') ?? '';
    switch (route) {
      case 'createUser':
        return store.create(inputData(body, query), knobs);
      case 'getUserId':
        return store.getUserId(username, knobs.userNotFoundMessage);
      case 'deleteUser':
        return store.delete(userId ?? '');
      case 'lockUser':
        return store.setLocked(username, true);
      case 'unlockUser':
        return store.setLocked(username, false);
    }
  };

  /** Answer with a fault; returns false when the fault only adds latency. */
  const fail = (res: ServerResponse, fault: Pam360SimFault): boolean => {
    if (fault.timeout) return true;
    if (fault.reset) {
      res.socket?.destroy();
      return true;
    }
    if (fault.status429) {
      const retry = fault.status429 === true ? {} : { 'retry-after': fault.status429.retryAfter };
      res.writeHead(429, { 'content-type': 'text/plain', ...retry }).end('Too Many Requests');
      return true;
    }
    if (fault.status5xx) {
      res.writeHead(fault.status5xx, { 'content-type': 'text/html' }).end(PROXY_HTML(fault.status5xx));
      return true;
    }
    if (fault.raw) {
      res.writeHead(fault.raw.status, { 'content-type': fault.raw.contentType }).end(fault.raw.body);
      return true;
    }
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (url.pathname.startsWith('/__sim/')) {
      handlePam360SimAdmin(sim, method, url.pathname, body, res);
      return;
    }
    const match = routeOf(method, url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    lastRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
    calls[match.route]++;
    await holds.pass(match.route);
    const fault = takeFault(match.route);
    if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault && !fault.afterProcessing && fail(res, fault)) return;
    const refused = authenticate(req, url.searchParams, match.route);
    const reply =
      refused ??
      envelope(OPERATION_NAMES[match.route], perform(match.route, match.userId, url.searchParams, body));
    if (fault?.afterProcessing && fail(res, fault)) return;
    res
      .writeHead(200, {
        'content-type': 'application/json;charset=UTF-8',
        server: knobs.product === 'pmp' ? 'PMP' : 'PAM360',
      })
      .end(reply);
  };

  const server = https.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('PAM360 sim: no TCP address');
  const url = `https://127.0.0.1:${address.port}`;

  const sim: Pam360Sim = {
    url,
    botToken,
    caPem: pki.caPem,
    get knobs() {
      return knobs;
    },
    setKnobs(patch) {
      knobs = pam360SimKnobsSchema.parse({ ...knobs, ...patch });
    },
    injectFault(route, fault, times = 1) {
      const queue = faults.get(route) ?? [];
      queue.push({ fault: pam360SimFaultSchema.parse(fault), remaining: times });
      faults.set(route, queue);
    },
    hold: (route) => holds.hold(route),
    get createCalls() {
      return calls.createUser;
    },
    get calls() {
      return calls;
    },
    get lastRequest() {
      return lastRequest;
    },
    store,
    seedUser: (init) => store.seedUser(init),
    passwordOf(username) {
      const password = store.find(username)?.details.PASSWORD;
      return typeof password === 'string' ? password : undefined;
    },
    seedToken(token, init = {}) {
      store.tokens.set(token, {
        username: init.username ?? 'api-user',
        admin: init.admin ?? true,
        host: init.host ?? null,
        hostResolvable: init.hostResolvable ?? true,
      });
    },
    reset() {
      store.reset(botToken);
      faults.clear();
      holds.clear();
      calls = zeroCalls();
      lastRequest = null;
      knobs = { ...startKnobs };
    },
    settings(overrides = {}) {
      return pam360SettingsSchema.parse({
        ...SIM_APPROVAL_DEFAULTS,
        baseUrl: url,
        authToken: botToken,
        caFile,
        roles: [...PAM360_BUILTIN_ROLES, ...knobs.roles],
        departments: departments ?? ['NOC', 'Finance'],
        locations: locations ?? ['Level 10 - South Wing', 'Remote'],
        timeoutMs: 5_000,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        ...overrides,
      });
    },
    async close() {
      holds.clear();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
  return sim;
}
