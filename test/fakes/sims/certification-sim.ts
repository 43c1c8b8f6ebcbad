/**
 * Certification "Create Users" simulator (reference §6.3): an OAuth2 token endpoint, a WSO2-style
 * gateway in front of `POST /api/admin/v1.1.0/users`, and an in-memory backend. Every [UNKNOWN]/[INF]
 * behaviour is a knob; faults are injected per route for the next N calls. A plain module (no
 * vitest) so the sandbox can run it too. Token flows map to §6.3 as client_credentials = `wso2`
 * (`/oauth2/token`) and password = `blacklineSts` (`/authorize/connect/token`).
 *
 * For the users route, `timeout` and `reset` faults strike after the backend processed the batch
 * (the users exist, the answer is lost) — the ambiguous case the worker must handle.
 */

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { certSettingsSchema } from '../../../src/config/schema.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/vendors/http.ts';
import { CertSimBackend } from './certification-sim-backend.ts';
import { type GatewayCode, gatewayError, nextAccessTime } from './certification-sim-gateway.ts';
import {
  CERT_API_PREFIX,
  type CertSim,
  type CertSimFault,
  type CertSimKnobs,
  type CertSimOptions,
  type CertSimRoute,
  type CertSimTokenFlow,
  DEFAULT_CREDENTIALS,
  DEFAULT_KNOBS,
  faultBody,
  knobsSchema,
  seedBody,
  tokenPath,
} from './certification-sim-knobs.ts';
import { SIM_APPROVAL_DEFAULTS } from './sim-approval-defaults.ts';

export type { CertSim, CertSimFault, CertSimKnobs, CertSimOptions, CertSimRoute, CertSimTokenFlow };
export { CERT_API_PREFIX, tokenPath };

interface IssuedToken {
  expiresAt: number;
  scopeAllowsUsers: boolean;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string, contentType = 'application/json') {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

export async function startCertSim(options: CertSimOptions = {}): Promise<CertSim> {
  const {
    now = () => new Date(),
    credentials: credOverrides,
    tls,
    timeoutMs = 5_000,
    ...knobOverrides
  } = options;
  const creds = { ...DEFAULT_CREDENTIALS, ...credOverrides };
  const initialKnobs: CertSimKnobs = { ...DEFAULT_KNOBS, ...knobOverrides };
  let knobs = { ...initialKnobs };
  const backend = new CertSimBackend();
  const tokens = new Map<string, IssuedToken>();
  const issued: string[] = [];
  const faults: Record<CertSimRoute, { fault: CertSimFault; left: number }[]> = { token: [], users: [] };
  const counters = { createCalls: 0, tokenCalls: 0, usersRequests: 0 };
  let window = { start: 0, count: 0 };

  const scopeFor = (flow: CertSimTokenFlow) =>
    creds.scope ??
    (flow === 'password'
      ? 'UserManagementAPI instance_7C1E3B52-0000-4000-8000-00000000C0DE'
      : `username:${creds.username}`);

  const takeFault = (route: CertSimRoute): CertSimFault | undefined => {
    const next = faults[route][0];
    if (!next) return undefined;
    next.left -= 1;
    if (next.left <= 0) faults[route].shift();
    return next.fault;
  };

  const gateway = (res: http.ServerResponse, code: GatewayCode, extra: { nextAccessTime?: string } = {}) => {
    const e = gatewayError(code, knobs.errorStyle, knobs.notFoundStatus, extra);
    send(res, e.status, e.body, e.contentType);
  };

  /** Answers a fault with a canned response; true when the request is dealt with. */
  const answerFault = (fault: CertSimFault, res: http.ServerResponse): boolean => {
    if (fault.status5xx) {
      send(
        res,
        fault.status5xx,
        `<html><body><h1>${fault.status5xx} Bad Gateway</h1></body></html>`,
        'text/html',
      );
    } else if (fault.status429) {
      res.writeHead(429, {
        'content-type': 'application/json',
        ...(fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}),
      });
      res.end(
        JSON.stringify({
          code: '900800',
          message: 'Message throttled out',
          description: 'You have exceeded your quota',
        }),
      );
    } else if (fault.gatewayCode) {
      gateway(res, fault.gatewayCode);
    } else if (fault.respond) {
      send(res, fault.respond.status, fault.respond.body, fault.respond.contentType);
    } else {
      return false;
    }
    return true;
  };

  const handleToken = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    const form = new URLSearchParams(body);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, ...secretParts] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (id !== creds.clientId || secretParts.join(':') !== creds.clientSecret) {
      return send(
        res,
        401,
        JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed' }),
      );
    }
    if (form.get('grant_type') !== knobs.tokenFlow) {
      return send(res, 400, JSON.stringify({ error: 'unsupported_grant_type' }));
    }
    const requested = form.get('scope') ?? '';
    const scopeOk = requested === scopeFor(knobs.tokenFlow);
    if (knobs.tokenFlow === 'password') {
      if (form.get('username') !== creds.username || form.get('password') !== creds.password) {
        return send(
          res,
          400,
          JSON.stringify({ error: 'invalid_grant', error_description: 'Authentication failed' }),
        );
      }
      if (!scopeOk) return send(res, 400, JSON.stringify({ error: 'invalid_scope' }));
    }
    // WSO2 grants an unknown scope as "default"; the gateway then refuses the API (900910).
    const token = randomUUID().replaceAll('-', '');
    issued.push(token);
    tokens.set(token, {
      expiresAt: now().getTime() + knobs.tokenTtlSeconds * 1000,
      scopeAllowsUsers: scopeOk,
    });
    send(
      res,
      200,
      JSON.stringify({
        access_token: token,
        expires_in: knobs.tokenTtlSeconds,
        token_type: 'Bearer',
        scope: scopeOk ? requested : 'default',
      }),
    );
  };

  /** Gateway checks in WSO2's order: credentials, token, throttle, scope, resource. */
  const handleApi = (req: http.IncomingMessage, path: string, body: string, res: http.ServerResponse) => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return gateway(res, '900902');
    const token = tokens.get(bearer);
    if (!token) return gateway(res, '900901');
    if (now().getTime() >= token.expiresAt) return gateway(res, knobs.expiredTokenCode);
    if (knobs.throttle) {
      const size = knobs.throttle.windowSeconds * 1000;
      const start = Math.floor(now().getTime() / size) * size;
      if (window.start !== start) window = { start, count: 0 };
      window.count += 1;
      if (window.count > knobs.throttle.limit) {
        return gateway(res, '900800', { nextAccessTime: nextAccessTime(new Date(start + size)) });
      }
    }
    if (!token.scopeAllowsUsers) return gateway(res, '900910');
    if (req.method !== 'POST' || path !== `${CERT_API_PREFIX}/users`) return gateway(res, '900906');
    counters.createCalls += 1;
    return backend.createBatch(body, knobs);
  };

  const handleSim = (path: string, body: string, res: http.ServerResponse) => {
    const json = body ? JSON.parse(body) : {};
    if (path === '/__sim/reset') sim.reset();
    else if (path === '/__sim/knobs') sim.set(knobsSchema.parse(json));
    else if (path === '/__sim/fault') {
      const f = faultBody.parse(json);
      sim.inject(f.route, f.fault, f.times);
    } else if (path === '/__sim/seed') sim.seedUsers(seedBody.parse(json));
    else if (path === '/__sim/expire-tokens') sim.expireTokens();
    else if (path === '/__sim/revoke-tokens') sim.revokeTokens();
    else if (path !== '/__sim/state') return send(res, 404, '{}');
    send(res, 200, JSON.stringify({ knobs, ...counters, users: backend.users }));
  };

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (path.startsWith('/__sim/')) {
      try {
        return handleSim(path, body, res);
      } catch (e) {
        return send(res, 400, JSON.stringify({ message: e instanceof Error ? e.message : 'bad request' }));
      }
    }
    const route: CertSimRoute | null =
      path === tokenPath(knobs.tokenFlow) ? 'token' : path.startsWith(CERT_API_PREFIX) ? 'users' : null;
    if (!route) return gateway(res, '900906');
    if (route === 'users') counters.usersRequests += 1;
    else counters.tokenCalls += 1;
    const fault = takeFault(route);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault && answerFault(fault, res)) return;
    if (route === 'token') {
      if (fault?.timeout) return;
      if (fault?.reset) return req.socket.destroy();
      return handleToken(req, body, res);
    }
    const result = handleApi(req, path, body, res);
    if (!result) return;
    if (fault?.timeout) return;
    if (fault?.reset) return req.socket.destroy();
    send(res, result.status, JSON.stringify(result.json));
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handler(req, res).catch(() => res.destroy());
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, listener)
    : http.createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('certification sim: no TCP address');
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;

  const sim: CertSim = {
    url,
    get knobs() {
      return knobs;
    },
    set(patch) {
      knobs = { ...knobs, ...patch };
    },
    inject(route, fault, times = 1) {
      faults[route].push({ fault, left: times });
    },
    get createCalls() {
      return counters.createCalls;
    },
    get tokenCalls() {
      return counters.tokenCalls;
    },
    get usersRequests() {
      return counters.usersRequests;
    },
    users: () => backend.users.map((u) => ({ ...u })),
    passwordOf: (userName) => backend.passwords.get(userName),
    seedUsers: (users) => backend.seed(users, knobs.idType),
    expireTokens() {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    issuedTokens: () => [...issued],
    revokeTokens: () => tokens.clear(),
    reset() {
      knobs = { ...initialKnobs };
      backend.reset();
      tokens.clear();
      issued.length = 0;
      faults.token = [];
      faults.users = [];
      Object.assign(counters, { createCalls: 0, tokenCalls: 0, usersRequests: 0 });
      window = { start: 0, count: 0 };
    },
    settings(overrides = {}) {
      return certSettingsSchema.parse({
        ...SIM_APPROVAL_DEFAULTS,
        baseUrl: `${url}${CERT_API_PREFIX}`,
        tokenUrl: `${url}${tokenPath(knobs.tokenFlow)}`,
        tokenFlow: knobs.tokenFlow,
        clientId: creds.clientId,
        clientSecret: creds.clientSecret,
        scope: scopeFor(knobs.tokenFlow),
        ...(knobs.tokenFlow === 'password' ? { username: creds.username, password: creds.password } : {}),
        roles: [
          'Close:CloseAdmin',
          'Certification:Reconciler',
          'Certification:ProgramAdmin',
          'JournalEntry:Preparer',
        ],
        departments: ['SALES', 'FINANCE'],
        locations: ['Americas', 'EMEA'],
        timeoutMs,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        ...overrides,
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return sim;
}
