/**
 * Certification "Create Users" simulator (reference §6.3): an OAuth2 token endpoint, a WSO2-style
 * gateway in front of `POST /api/admin/v1.1.0/users`, and an in-memory backend. Every [UNKNOWN]/[INF]
 * behaviour is a knob; knobs, faults, counters and the /__sim/ endpoints come from the shared kit
 * (sim-kit.ts), so this file keeps the gateway's and the token endpoint's rules. A plain module (no
 * vitest) so the sandbox can run it too. Token flows map to §6.3 as client_credentials = `wso2`
 * (`/oauth2/token`) and password = `blacklineSts` (`/authorize/connect/token`).
 *
 * A users call answered after the backend processed the batch (the users exist, the answer is
 * lost) is a `timeout` or `reset` fault with `afterProcessing` — the ambiguous case the worker
 * must handle.
 */

import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { certSettingsSchema } from '../../../src/config/schema.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/vendors/http.ts';
import { CertSimBackend } from './certification-sim-backend.ts';
import { type GatewayCode, gatewayError, nextAccessTime } from './certification-sim-gateway.ts';
import {
  CERT_API_PREFIX,
  CERT_SIM_ROUTES,
  type CertSim,
  type CertSimFault,
  type CertSimKnobs,
  type CertSimOptions,
  type CertSimRoute,
  type CertSimTokenFlow,
  certSimFaultSchema,
  certSimKnobsSchema,
  DEFAULT_CREDENTIALS,
  DEFAULT_KNOBS,
  seedBody,
  tokenPath,
} from './certification-sim-knobs.ts';
import { SIM_APPROVAL_DEFAULTS } from './sim-approval-defaults.ts';
import {
  closeServer,
  jsonReply,
  listen,
  plainServer,
  readBody,
  SimKit,
  type SimReply,
  send,
  textReply,
  tlsServer,
} from './sim-kit.ts';

export type { CertSim, CertSimFault, CertSimKnobs, CertSimOptions, CertSimRoute, CertSimTokenFlow };
export { CERT_API_PREFIX, tokenPath };

interface IssuedToken {
  expiresAt: number;
  scopeAllowsUsers: boolean;
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
  const gateway = (code: GatewayCode, extra: { nextAccessTime?: string } = {}): SimReply => {
    const e = gatewayError(code, kit.knobs.errorStyle, kit.knobs.notFoundStatus, extra);
    return textReply(e.status, e.body, e.contentType);
  };
  const kit = new SimKit({
    routes: CERT_SIM_ROUTES,
    knobsSchema: certSimKnobsSchema,
    knobs: { ...DEFAULT_KNOBS, ...knobOverrides },
    faultSchema: certSimFaultSchema,
    answer: (fault) => (fault.gatewayCode ? gateway(fault.gatewayCode) : undefined),
    pages: {
      status5xx: (status) =>
        textReply(status, `<html><body><h1>${status} Bad Gateway</h1></body></html>`, 'text/html'),
      status429: jsonReply(429, {
        code: '900800',
        message: 'Message throttled out',
        description: 'You have exceeded your quota',
      }),
    },
  });
  const backend = new CertSimBackend();
  const tokens = new Map<string, IssuedToken>();
  const issued: string[] = [];
  let createCalls = 0;
  let window = { start: 0, count: 0 };

  const scopeFor = (flow: CertSimTokenFlow) =>
    creds.scope ??
    (flow === 'password'
      ? 'UserManagementAPI instance_7C1E3B52-0000-4000-8000-00000000C0DE'
      : `username:${creds.username}`);

  const token = (req: http.IncomingMessage, body: string): SimReply => {
    const knobs = kit.knobs;
    const form = new URLSearchParams(body);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, ...secretParts] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (id !== creds.clientId || secretParts.join(':') !== creds.clientSecret) {
      return jsonReply(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (form.get('grant_type') !== knobs.tokenFlow)
      return jsonReply(400, { error: 'unsupported_grant_type' });
    const requested = form.get('scope') ?? '';
    const scopeOk = requested === scopeFor(knobs.tokenFlow);
    if (knobs.tokenFlow === 'password') {
      if (form.get('username') !== creds.username || form.get('password') !== creds.password) {
        return jsonReply(400, { error: 'invalid_grant', error_description: 'Authentication failed' });
      }
      if (!scopeOk) return jsonReply(400, { error: 'invalid_scope' });
    }
    // WSO2 grants an unknown scope as "default"; the gateway then refuses the API (900910).
    const value = randomUUID().replaceAll('-', '');
    issued.push(value);
    tokens.set(value, {
      expiresAt: now().getTime() + knobs.tokenTtlSeconds * 1000,
      scopeAllowsUsers: scopeOk,
    });
    return jsonReply(200, {
      access_token: value,
      expires_in: knobs.tokenTtlSeconds,
      token_type: 'Bearer',
      scope: scopeOk ? requested : 'default',
    });
  };

  /** Gateway checks in WSO2's order: credentials, token, throttle, scope, resource. */
  const users = (req: http.IncomingMessage, path: string, body: string): SimReply => {
    const knobs = kit.knobs;
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return gateway('900902');
    const issuedToken = tokens.get(bearer);
    if (!issuedToken) return gateway('900901');
    if (now().getTime() >= issuedToken.expiresAt) return gateway(knobs.expiredTokenCode);
    if (knobs.throttle) {
      const size = knobs.throttle.windowSeconds * 1000;
      const start = Math.floor(now().getTime() / size) * size;
      if (window.start !== start) window = { start, count: 0 };
      window.count += 1;
      if (window.count > knobs.throttle.limit) {
        return gateway('900800', { nextAccessTime: nextAccessTime(new Date(start + size)) });
      }
    }
    if (!issuedToken.scopeAllowsUsers) return gateway('900910');
    if (req.method !== 'POST' || path !== `${CERT_API_PREFIX}/users`) return gateway('900906');
    createCalls += 1;
    const result = backend.createBatch(body, knobs);
    return jsonReply(result.status, result.json);
  };

  const state = () => ({
    knobs: kit.knobs,
    createCalls,
    tokenCalls: kit.calls.token,
    usersRequests: kit.calls.users,
    users: backend.users,
  });

  const control = (method: string, path: string, body: string): SimReply =>
    kit.control(method, path, body, {
      state,
      reset: () => sim.reset(),
      seed(input) {
        const parsed = seedBody.safeParse(input);
        if (!parsed.success) return jsonReply(400, { message: parsed.error.message });
        sim.seedUsers(parsed.data);
        return jsonReply(200, state());
      },
      more(path) {
        if (path === '/__sim/expire-tokens') sim.expireTokens();
        else if (path === '/__sim/revoke-tokens') sim.revokeTokens();
        else return undefined;
        return jsonReply(200, state());
      },
    });

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (path.startsWith('/__sim/')) return send(res, control(req.method ?? 'GET', path, body));
    if (path === tokenPath(kit.knobs.tokenFlow)) return kit.serve('token', req, res, () => token(req, body));
    if (path.startsWith(CERT_API_PREFIX)) return kit.serve('users', req, res, () => users(req, path, body));
    send(res, gateway('900906'));
  };

  const server = tls ? tlsServer({ key: tls.key, cert: tls.cert }, handler) : plainServer(handler);
  const url = await listen(server);

  const sim: CertSim = {
    url,
    get knobs() {
      return kit.knobs;
    },
    setKnobs: (patch) => kit.setKnobs(patch),
    fault: (route, fault, times) => kit.fault(route, fault, times),
    get createCalls() {
      return createCalls;
    },
    get tokenCalls() {
      return kit.calls.token;
    },
    get usersRequests() {
      return kit.calls.users;
    },
    users: () => backend.users.map((u) => ({ ...u })),
    passwordOf: (userName) => backend.passwords.get(userName),
    seedUsers: (seed) => backend.seed(seed, kit.knobs.idType),
    expireTokens() {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    issuedTokens: () => [...issued],
    revokeTokens: () => tokens.clear(),
    reset() {
      kit.reset();
      backend.reset();
      tokens.clear();
      issued.length = 0;
      createCalls = 0;
      window = { start: 0, count: 0 };
    },
    settings(overrides = {}) {
      const knobs = kit.knobs;
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
    close: () => closeServer(server),
  };
  return sim;
}
