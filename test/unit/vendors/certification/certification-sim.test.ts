/** The simulator's own contract: test-only HTTP endpoints, knobs, validation and settings(). */
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { certSettingsSchema } from '../../../../src/config/schema.ts';
import { type CertSim, startCertSim } from '../../../fakes/sims/certification-sim.ts';
import { BATCH_SIZE_MESSAGE } from '../../../fakes/sims/certification-sim-backend.ts';
import { testPki } from '../../../fakes/tls.ts';
import { user } from './cert-harness.ts';

let sim: CertSim;
beforeEach(async () => {
  sim = await startCertSim();
});
afterEach(async () => {
  await sim.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function token(): Promise<string> {
  const s = sim.settings();
  const res = await fetch(s.tokenUrl ?? '', {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: s.scope ?? '' }),
  });
  const json: unknown = await res.json();
  if (typeof json === 'object' && json && 'access_token' in json && typeof json.access_token === 'string') {
    return json.access_token;
  }
  throw new Error('no token');
}

describe('certification simulator', () => {
  it('settings() is a complete, valid CertSettings pointing at the sim', () => {
    const s = sim.settings();
    expect(certSettingsSchema.parse(s)).toEqual(s);
    expect(s).toMatchObject({
      enabled: true,
      approvalChannel: 'C0APPROVALS',
      approvers: ['U0APPROVER1', 'U0APPROVER2'],
      baseUrl: `${sim.url}/api/admin/v1.1.0`,
      tokenUrl: `${sim.url}/oauth2/token`,
    });
  });

  it('/__sim/knobs, /__sim/seed, /__sim/fault, /__sim/state and /__sim/reset', async () => {
    await post('/__sim/knobs', { idType: 'number', mixedBatchStatus: 200 });
    expect(sim.knobs).toMatchObject({ idType: 'number', mixedBatchStatus: 200 });
    await post('/__sim/seed', [{ userName: 'taken', email: 'taken@example.com' }]);
    expect(sim.users().map((u) => u.userName)).toEqual(['taken']);
    await post('/__sim/fault', { route: 'users', fault: { status5xx: 503 }, times: 1 });
    const bearer = { authorization: `Bearer ${await token()}` };
    expect((await post('/api/admin/v1.1.0/users', [user(1)], bearer)).status).toBe(503);
    const state = await (await fetch(`${sim.url}/__sim/state`)).json();
    expect(state).toMatchObject({ tokenCalls: 1, usersRequests: 1, createCalls: 0 });
    expect((await post('/__sim/knobs', { idType: 'uuid' })).status).toBe(400);
    await post('/__sim/reset', {});
    expect(sim.users()).toEqual([]);
    expect(sim.knobs.idType).toBe('string');
  });

  it('refuses an empty, oversized or non-JSON batch with a whole-request 400', async () => {
    const bearer = { authorization: `Bearer ${await token()}` };
    for (const body of ['[]', JSON.stringify(Array.from({ length: 1001 }, (_, i) => user(i))), 'nope']) {
      const res = await post('/api/admin/v1.1.0/users', body, bearer);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: BATCH_SIZE_MESSAGE });
    }
    expect(sim.users()).toEqual([]);
  });

  it('validates each user, never echoes the password, and counts duplicates within a batch', async () => {
    const bearer = { authorization: `Bearer ${await token()}` };
    const bad = { ...user(2), password: 'weak', roles: [{ type: 'Nope', value: 'x' }] };
    const res = await post('/api/admin/v1.1.0/users', [user(1), user(1), bad], bearer);
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).not.toContain('Password1!');
    const json = JSON.parse(text);
    expect(json.sucessCount).toBe(1);
    expect(json.failureResults[0].messages).toContain('A user with the given username was found.');
    expect(json.failureResults[1].messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^password must match pattern/),
        expect.stringMatching(/^roles\.type/),
      ]),
    );
  });

  it('answers 900902 without Authorization and 900906 on an unknown route', async () => {
    const missing = await post('/api/admin/v1.1.0/users', [user(1)]);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: '900902', message: 'Missing Credentials' });
    const unknown = await post('/api/admin/v1.1.0/groups', [], { authorization: `Bearer ${await token()}` });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: '900906' });
  });

  it('serves HTTPS with a given certificate', async () => {
    const pki = testPki();
    const secure = await startCertSim({ tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
    const agent = new Agent({ connect: { ca: pki.caPem } });
    try {
      expect(secure.url).toMatch(/^https:/);
      const res = await request(`${secure.url}/__sim/state`, { dispatcher: agent });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toMatchObject({ createCalls: 0 });
    } finally {
      await agent.close();
      await secure.close();
    }
  });
});
