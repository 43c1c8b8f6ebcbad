/** Every PJM failure mode of vendor-apis.md §1.6 (and the brief), real client ↔ real simulator. */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PJM_REJECTED_HEADLINE } from '../../../../src/vendors/pjm/pjm-provisioner.ts';
import { closedPort, type PjmKit, pjmKit, SMITHJ, smithj, vendorErrorOf } from './pjm-kit.ts';

let kit: PjmKit;
beforeEach(async () => {
  kit = await pjmKit();
});
afterEach(async () => {
  await kit.close();
});

const routes = (route: string) => kit.sim.requests.filter((r) => r.route === route);

describe('PJM session gone on a secure call', () => {
  it.each(['html200', 'redirect302', 'status401'] as const)(
    'session expired mid-job (%s): signs in again once, then the search succeeds',
    async (style) => {
      kit.sim.setKnobs({ sessionFailureStyle: style, tokenTtlSeconds: 60 });
      kit.sim.seedUser({
        username: 'smithj',
        firstName: 'John',
        lastName: 'Smith',
        email: 'jsmith@fake.com',
        accounts: ['ACCT'],
      });
      const session = kit.client().openSession();
      expect(await session.searchUsers({ username: 'smithj', activeOnly: 'F' })).toHaveLength(1);
      kit.clock.advance(61_000);
      const users = await session.searchUsers({ username: 'smithj', activeOnly: 'F' });
      await session.close();
      expect(users.map((u) => u.username)).toEqual(['smithj']);
      expect(routes('authenticate')).toHaveLength(2);
      expect(routes('userSearch')).toHaveLength(3);
      expect(kit.sim.liveSessions()).toBe(0);
    },
  );

  it.each(['html200', 'redirect302', 'status401'] as const)(
    'wrong environment cookie (train cookie on a prod PJM, %s): auth error after one re-login',
    async (style) => {
      kit.sim.setKnobs({ environment: 'prod', sessionFailureStyle: style });
      const p = kit.provisioner({ environment: 'train' });
      const e = await vendorErrorOf(p.submit(SMITHJ));
      expect(e).toMatchObject({ kind: 'auth', requestSent: false, vendorMessages: [] });
      expect(e.httpStatus).toBe(style === 'html200' ? 200 : style === 'redirect302' ? 302 : 401);
      expect(e.userText).toContain('Account Manager refused the session right after sign-in');
      expect(e.userText).toContain('pjmauthtrain');
      expect(routes('authenticate')).toHaveLength(2);
      expect(routes('registrations').every((r) => r.cookieNames.includes('pjmauthtrain'))).toBe(true);
      expect(kit.sim.store.users.has('smithj')).toBe(false);
    },
  );

  it('registration answered by the sign-in page is repeated once after a new sign-in and succeeds', async () => {
    kit.sim.setKnobs({ tokenTtlSeconds: 60 });
    const session = kit.client().openSession();
    await session.searchUsers({ username: 'nobody1' });
    kit.clock.advance(61_000);
    const result = await session.register({
      username: 'smithj',
      firstName: 'John',
      lastName: 'Smith',
      employer: 'ACCT',
      employedAs: 'Employee',
      email: 'jsmith@fake.com',
    });
    await session.close();
    expect(result.accepted).toBe(true);
    expect(kit.sim.createCalls).toBe(2);
    expect(kit.sim.store.users.get('smithj')?.status).toBe('Pending');
  });
});

describe('PJM sign-in failures', () => {
  it('401 from SSO (wrong password): auth, not retried', async () => {
    const e = await vendorErrorOf(kit.provisioner({ ssoPassword: 'not-the-password' }).submit(SMITHJ));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401, requestSent: false, vendorMessages: [] });
    expect(e.userText).toBe(
      'PJM sign-in refused (Authentication Failed). Check the PJM username, password, environment and certificate approval',
    );
    expect(routes('authenticate')).toHaveLength(1);
    expect(kit.sim.createCalls).toBe(0);
  });

  it('2xx from SSO without tokenId (certificate not approved by the CAM): auth', async () => {
    kit.sim.seedSsoUser({ ...kit.sim.botUser, certApproved: false });
    const e = await vendorErrorOf(kit.provisioner().precheck(SMITHJ));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 200, requestSent: false, vendorMessages: [] });
    expect(e.userText).toContain('client certificate may not be approved by your Company Account Manager');
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    'TLS handshake failure: client without the certificate when PJM requires one (%s): auth',
    async (version) => {
      kit.sim.setKnobs({ requireClientCert: true, ssoTlsMaxVersion: version });
      const e = await vendorErrorOf(kit.provisioner({ clientCertP12: undefined }).submit(SMITHJ));
      expect(e).toMatchObject({ kind: 'auth', httpStatus: null, requestSent: false, vendorMessages: [] });
      expect(e.userText).toMatch(
        /TLS handshake refused \(ERR_SSL.*\): check PJM_CA_FILE and whether the server asks for a client certificate|client certificate is missing, expired or not accepted/,
      );
      expect(routes('authenticate')).toHaveLength(0);
      expect(kit.sim.createCalls).toBe(0);
    },
  );

  it('TLS handshake failure: client trusting the wrong CA: auth', async () => {
    const caFile = join(tmpdir(), `pjm-other-ca-${process.pid}.pem`);
    writeFileSync(caFile, kit.sim.pki.otherCaPem);
    const e = await vendorErrorOf(kit.provisioner({ caFile }).submit(SMITHJ));
    expect(e).toMatchObject({ kind: 'auth', requestSent: false });
    expect(e.userText).toMatch(
      /^PJM sso-authenticate: TLS handshake failed \(SELF_SIGNED_CERT_IN_CHAIN\): the server's certificate is not trusted; set PJM_CA_FILE/,
    );
    expect(routes('authenticate')).toHaveLength(0);
  });

  it('a caller without Account Manager API access: auth with PJM’s words', async () => {
    kit.sim.seedSsoUser({ ...kit.sim.botUser, hasApiAccess: false });
    const e = await vendorErrorOf(kit.provisioner().submit(SMITHJ));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 403, requestSent: false });
    expect(e.vendorMessages).toEqual(['User does not have Account Manager API access']);
    expect(e.userText).toBe('User does not have Account Manager API access');
  });
});

describe('PJM registration answers', () => {
  it('400 JSON ERROR array with several messages: rejected with every message', async () => {
    const outcome = await kit
      .provisioner()
      .submit(smithj({ email: 'jsmith@elsewhere.example', accountAccess: ['Power Meter Read/Write'] }));
    expect(outcome).toEqual({
      kind: 'rejected',
      headline: PJM_REJECTED_HEADLINE,
      messages: [
        { html: 'Email jsmith@elsewhere.example is not authorized for Account Test Company, LLC' },
        { html: 'Access Power Meter Read/Write is not valid for Account Test Company, LLC' },
      ],
    });
  });

  it('XML errorResponse 500 (wrong path): unknown, with RESTEasy’s message', async () => {
    const e = await vendorErrorOf(
      kit.provisioner({ accountManagerUrl: `${kit.sim.url}rest/` }).submit(SMITHJ),
    );
    expect(e).toMatchObject({ kind: 'unknown', httpStatus: 500, requestSent: true });
    expect(e.vendorMessages).toHaveLength(1);
    expect(e.userText).toMatch(
      /^RESTEASY003210: Could not find resource for full path: \/accountmanager\/rest\/rest\//,
    );
  });

  it('timeout on registrations: transient, requestSent true', async () => {
    kit.sim.fault('registrations', { timeout: true });
    const e = await vendorErrorOf(kit.provisioner({ timeoutMs: 1_000 }).submit(SMITHJ));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: true });
    expect(e.userText).toBe(
      'PJM registrations: no complete answer within PJM_TIMEOUT_MS; the request may have arrived',
    );
    expect(kit.sim.createCalls).toBe(1);
  });

  it('connection reset on registrations: transient, requestSent true', async () => {
    kit.sim.fault('registrations', { reset: true, afterProcessing: true });
    const e = await vendorErrorOf(kit.provisioner().submit(SMITHJ));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: true });
    expect(e.userText).toMatch(/^PJM registrations: connection failed \(.+\); the request may have arrived$/);
    expect(kit.sim.store.users.get('smithj')?.status).toBe('Pending');
  });

  it('connection refused by Account Manager: transient, requestSent false', async () => {
    const port = await closedPort();
    const e = await vendorErrorOf(
      kit.provisioner({ accountManagerUrl: `https://127.0.0.1:${port}/accountmanager/` }).submit(SMITHJ),
    );
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: false });
    expect(e.userText).toBe('PJM registrations: could not connect (ECONNREFUSED)');
  });

  it('503 on registrations: transient, requestSent true', async () => {
    kit.sim.fault('registrations', { status5xx: 503 });
    const e = await vendorErrorOf(kit.provisioner().submit(SMITHJ));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: 503, requestSent: true, vendorMessages: [] });
    expect(e.userText).toBe('PJM registrations: PJM is unavailable (HTTP 503); the request may have arrived');
  });

  it('429 when the rateLimitPerMinute knob is exceeded: throttle with Retry-After', async () => {
    kit.sim.setKnobs({ rateLimitPerMinute: 1 });
    const e = await vendorErrorOf(kit.provisioner().precheck(SMITHJ));
    expect(e).toMatchObject({ kind: 'throttle', httpStatus: 429, requestSent: false, retryAfterMs: 60_000 });
    expect(e.userText).toBe(
      'PJM userSearch: too many requests (PJM allows 600 connections a minute); try again later',
    );
    expect(routes('userSearch')).toHaveLength(2);
  });

  it('429 without Retry-After on registrations: throttle, retryAfterMs null, nothing created', async () => {
    kit.sim.fault('registrations', { status429: {} });
    const e = await vendorErrorOf(kit.provisioner().submit(SMITHJ));
    expect(e).toMatchObject({ kind: 'throttle', httpStatus: 429, requestSent: false, retryAfterMs: null });
    expect(kit.sim.store.users.has('smithj')).toBe(false);
  });
});

describe('PJM userSearch transport', () => {
  it('never sends a body with the GET (the simulator refuses one)', async () => {
    await kit.provisioner().precheck(SMITHJ);
    await kit.provisioner().lookup('jsmith@fake.com');
    const searches = routes('userSearch');
    expect(searches).toHaveLength(3);
    expect(searches.every((r) => r.method === 'GET' && r.bodyLength === 0)).toBe(true);
  });

  it('retries a reset read at most twice, then succeeds', async () => {
    kit.sim.fault('userSearch', { reset: true }, 2);
    const result = await kit.provisioner().lookup('smithj');
    expect(result.users).toEqual([]);
    expect(routes('userSearch')).toHaveLength(3);
  });

  it('a read that keeps failing gives up after three tries: transient', async () => {
    kit.sim.fault('userSearch', { status5xx: 502 }, 5);
    const e = await vendorErrorOf(kit.provisioner().lookup('smithj'));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: 502 });
    expect(routes('userSearch')).toHaveLength(3);
  });
});
