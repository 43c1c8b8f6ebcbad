/** PAM360 authentication, configuration and TLS failures (vendor-apis.md §2.1, §2.2), real client ↔ sim. */
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testPki } from '../../../fakes/tls.ts';
import { payload, usePam360Sim, vendorError } from './pam360-fixtures.ts';

const kit = usePam360Sim();

describe('PAM360 authentication failures', () => {
  it('unknown API key: Authentication envelope with HTTP 200 is kind auth with PAM360’s words', async () => {
    const e = await vendorError(kit.make({ authToken: 'NOT-A-REAL-TOKEN' }).submit(payload()));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 200, requestSent: false });
    expect(e.vendorMessages).toEqual([
      'API key received is not associated to any user. Authentication failed.',
    ]);
    expect(e.userText).toBe('API key received is not associated to any user. Authentication failed.');
    expect(e.message).toContain('PAM360_AUTH_TOKEN');
    expect(kit.sim.store.users.size).toBe(0);
  });

  it('token bound to another host: "User is not allowed to access from this host" is kind auth', async () => {
    kit.sim.seedToken(kit.sim.botToken, { username: 'access-desk-bot', host: 'bot-prod-01' });
    const e = await vendorError(kit.make().precheck(payload()));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 200, requestSent: false });
    expect(e.userText).toBe('User is not allowed to access from this host');
  });

  it('token bound to this host (127.0.0.1) is accepted', async () => {
    kit.sim.seedToken(kit.sim.botToken, { username: 'access-desk-bot', host: '127.0.0.1' });
    await expect(kit.make().precheck(payload())).resolves.toMatchObject({ state: 'absent' });
  });

  it('empty body (bound host does not resolve, knob on) is kind auth explaining PAM360 returned nothing', async () => {
    kit.sim.setKnobs({ emptyBodyOnUnresolvableHost: true });
    kit.sim.seedToken(kit.sim.botToken, { host: 'gone.invalid', hostResolvable: false });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 200, requestSent: true, vendorMessages: [] });
    expect(e.userText).toContain('PAM360 returned an empty response');
    expect(e.userText).toContain('hostname binding');
  });

  it('unresolvable bound host with the knob off answers the "not allowed" envelope instead', async () => {
    kit.sim.seedToken(kit.sim.botToken, { host: 'gone.invalid', hostResolvable: false });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e.kind).toBe('auth');
    expect(e.userText).toBe('User is not allowed to access from this host');
  });

  it('API user without an admin role: "not authorized" is kind auth', async () => {
    kit.sim.seedToken('PLAIN-USER-TOKEN', { username: 'viewer', admin: false });
    const e = await vendorError(kit.make({ authToken: 'PLAIN-USER-TOKEN' }).submit(payload()));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 200, requestSent: false });
    expect(e.userText).toBe('You are not authorized to perform this operation');
  });

  it.each(['operation', 'authentication'] as const)(
    'unknown orgName header (sim answers as %s) is kind auth naming PAM360_ORG_NAME',
    async (unknownOrgAs) => {
      kit.sim.setKnobs({ unknownOrgAs });
      const e = await vendorError(kit.make({ orgName: 'No Such Org' }).submit(payload()));
      expect(e).toMatchObject({ kind: 'auth', httpStatus: 200, requestSent: false });
      expect(e.userText).toBe('Organization not found');
      expect(e.message).toContain('PAM360_ORG_NAME');
      expect(kit.sim.store.users.size).toBe(0);
    },
  );

  it('known orgName header is sent and accepted', async () => {
    const outcome = await kit.make({ orgName: 'Access Desk Test Org' }).submit(payload());
    expect(outcome.kind).toBe('done');
    expect(kit.sim.lastRequest?.headers.orgname).toBe('Access Desk Test Org');
  });

  it('AUTHTOKEN is sent as a header, never in the query string; INPUT_DATA as a form field', async () => {
    await kit.make().submit(payload());
    const req = kit.sim.lastRequest;
    expect(req?.headers.authtoken).toBe(kit.sim.botToken);
    expect(req?.query).toEqual({});
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req?.body ?? '');
    expect(JSON.parse(form.get('INPUT_DATA') ?? 'null')).toEqual(payload());
  });

  it('wrong base path (HTTP 404, empty body) is kind auth naming PAM360_BASE_URL', async () => {
    const e = await vendorError(kit.make({ baseUrl: `${kit.sim.url}/wrong-prefix` }).precheck(payload()));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 404 });
    expect(e.userText).toContain('PAM360_BASE_URL');
  });
});

describe('PAM360 TLS', () => {
  it('a server certificate the configured CA does not vouch for is kind auth naming PAM360_CA_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pam360-other-ca-'));
    const caFile = join(dir, 'other-ca.pem');
    writeFileSync(caFile, testPki().otherCaPem);
    const e = await vendorError(kit.make({ caFile }).submit(payload()));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: null, requestSent: false, vendorMessages: [] });
    expect(e.userText).toContain('PAM360_CA_FILE');
    expect(e.userText).toMatch(/not trusted/);
    expect(kit.sim.createCalls).toBe(0);
  });

  it('connection refused is kind transient with requestSent false', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    server.close();
    await once(server, 'close');
    const e = await vendorError(kit.make({ baseUrl: `https://127.0.0.1:${address.port}` }).submit(payload()));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: false });
    expect(e.userText).toMatch(/could not connect \(ECONNREFUSED\)/);
  });
});
