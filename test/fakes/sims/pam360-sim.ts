/**
 * PAM360 / Password Manager Pro simulator (vendor-apis.md §6.2): HTTPS on 127.0.0.1, port 0, with
 * the test PKI's server certificate. Every [UNKNOWN]/[INF] behaviour is a knob; faults, holds,
 * knobs and the /__sim/ endpoints come from the shared kit (sim-kit.ts), so this file keeps only
 * PAM360's routes and rules. A plain module (no vitest): the sandbox imports it too. It logs nothing.
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { pam360SettingsSchema } from '../../../src/config/schema.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/vendors/http.ts';
import { testPki } from '../tls.ts';
import { PAM360_BUILTIN_ROLES, Pam360SimStore, type SimOutcome } from './pam360-sim-store.ts';
import {
  DEFAULT_PAM360_SIM_KNOBS,
  PAM360_SIM_ROUTES,
  type Pam360Sim,
  type Pam360SimOptions,
  type Pam360SimRoute,
  pam360SimKnobsSchema,
  type RecordedRequest,
} from './pam360-sim-types.ts';
import { SIM_APPROVAL_DEFAULTS } from './sim-approval-defaults.ts';
import { closeServer, jsonReply, listen, readBody, SimKit, send, textReply, tlsServer } from './sim-kit.ts';

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

/** `/__sim/seed`: users and tokens to start from. */
const seedSchema = z.object({
  users: z
    .array(
      z.object({
        USERNAME: z.string().min(1),
        FIRSTNAME: z.string().optional(),
        LASTNAME: z.string().optional(),
        EMAIL: z.string().optional(),
        ROLE: z.string().nullable().optional(),
        isApiUser: z.boolean().optional(),
        locked: z.boolean().optional(),
      }),
    )
    .default([]),
  tokens: z
    .array(
      z.object({
        token: z.string().min(1),
        username: z.string().optional(),
        admin: z.boolean().optional(),
        host: z.string().nullable().optional(),
        hostResolvable: z.boolean().optional(),
      }),
    )
    .default([]),
});

export async function startPam360Sim(options: Pam360SimOptions = {}): Promise<Pam360Sim> {
  const pki = testPki();
  const { botToken = randomUUID().toUpperCase(), departments, locations, ...knobOptions } = options;
  const kit = new SimKit({
    routes: PAM360_SIM_ROUTES,
    knobsSchema: pam360SimKnobsSchema,
    knobs: { ...DEFAULT_PAM360_SIM_KNOBS, ...knobOptions },
    pages: {
      status5xx: (status) => textReply(status, PROXY_HTML(status), 'text/html'),
      status429: textReply(429, 'Too Many Requests'),
    },
  });
  const store = new Pam360SimStore();
  store.reset(botToken);
  let lastRequest: RecordedRequest | null = null;
  const tempDir = mkdtempSync(join(tmpdir(), 'pam360-sim-'));
  const caFile = join(tempDir, 'ca.pem');
  writeFileSync(caFile, pki.caPem);

  const spell = (status: SimOutcome['status']): string | boolean => {
    const ok = status === 'success';
    switch (kit.knobs.statusCase) {
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
    const knobs = kit.knobs;
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
    if (kit.knobs.inputData === 'missing' || raw === null) return undefined;
    try {
      return JSON.parse(kit.knobs.inputData === 'notJson' ? `{${raw}` : raw);
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
        return store.create(inputData(body, query), kit.knobs);
      case 'getUserId':
        return store.getUserId(username, kit.knobs.userNotFoundMessage);
      case 'deleteUser':
        return store.delete(userId ?? '');
      case 'lockUser':
        return store.setLocked(username, true);
      case 'unlockUser':
        return store.setLocked(username, false);
    }
  };

  const control = (method: string, path: string, body: string) =>
    kit.control(method, path, body, {
      state: () => ({
        knobs: kit.knobs,
        createCalls: sim.createCalls,
        calls: kit.calls,
        users: [...store.users.values()],
      }),
      reset: () => sim.reset(),
      seed(input) {
        const parsed = seedSchema.safeParse(input);
        if (!parsed.success) return jsonReply(400, { error: z.prettifyError(parsed.error) });
        const users = parsed.data.users.map((u) => store.seedUser(u));
        for (const { token, ...init } of parsed.data.tokens) sim.seedToken(token, init);
        return jsonReply(200, { users: users.map((u) => ({ USERNAME: u.USERNAME, USERID: u.USERID })) });
      },
    });

  const server = tlsServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, async (req, res) => {
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (url.pathname.startsWith('/__sim/')) {
      send(res, control(method, url.pathname, body));
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
    await kit.serve(match.route, req, res, () => ({
      status: 200,
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        server: kit.knobs.product === 'pmp' ? 'PMP' : 'PAM360',
      },
      body:
        authenticate(req, url.searchParams, match.route) ??
        envelope(OPERATION_NAMES[match.route], perform(match.route, match.userId, url.searchParams, body)),
    }));
  });
  const url = await listen(server);

  const sim: Pam360Sim = {
    url,
    botToken,
    caPem: pki.caPem,
    get knobs() {
      return kit.knobs;
    },
    setKnobs: (patch) => kit.setKnobs(patch),
    fault: (route, fault, times) => kit.fault(route, fault, times),
    hold: (route) => kit.hold(route),
    get createCalls() {
      return kit.calls.createUser;
    },
    get calls() {
      return kit.calls;
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
      kit.reset();
      lastRequest = null;
    },
    settings(overrides = {}) {
      return pam360SettingsSchema.parse({
        ...SIM_APPROVAL_DEFAULTS,
        baseUrl: url,
        authToken: botToken,
        caFile,
        roles: [...PAM360_BUILTIN_ROLES, ...kit.knobs.roles],
        departments: departments ?? ['NOC', 'Finance'],
        locations: locations ?? ['Level 10 - South Wing', 'Remote'],
        timeoutMs: 5_000,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        ...overrides,
      });
    },
    async close() {
      kit.reset();
      await closeServer(server);
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
  return sim;
}
