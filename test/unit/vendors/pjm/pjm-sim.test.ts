/** The PJM simulator's own contract (§6.1): routes PJM has, test endpoints, knobs and faults. */
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pjmSettingsSchema } from '../../../../src/config/schema.ts';
import { type PjmSim, startPjmSim } from '../../../fakes/sims/pjm-sim.ts';

let sim: PjmSim;
let agent: Agent;
beforeAll(async () => {
  sim = await startPjmSim();
  agent = new Agent({
    connect: { ca: sim.pki.caPem, pfx: sim.pki.clientP12, passphrase: sim.pki.clientP12Passphrase },
  });
});
afterEach(() => sim.reset());
afterAll(async () => {
  await agent.close();
  await sim.close();
});

async function call(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
) {
  const res = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    dispatcher: agent,
  });
  return {
    status: res.statusCode,
    type: String(res.headers['content-type'] ?? ''),
    body: await res.body.text(),
  };
}
const control = (path: string, body: unknown = {}) =>
  call(`${sim.url.replace('/accountmanager/', '')}${path}`, { method: 'POST', body: JSON.stringify(body) });

async function signIn(): Promise<string> {
  const res = await call(`${sim.ssoUrl}/access/authenticate/pjmauthcert`, {
    method: 'POST',
    headers: { 'X-OpenAM-Username': sim.botUser.username, 'X-OpenAM-Password': sim.botUser.password },
  });
  const token = JSON.parse(res.body).tokenId;
  expect(token).toMatch(/^AQIC5/);
  return `pjmauthtrain=${token}`;
}

describe('PJM simulator', () => {
  it('answers GET on authenticate with 405 and a non-empty sign-in body with 400', async () => {
    expect((await call(`${sim.ssoUrl}/access/authenticate/`)).status).toBe(405);
    const withBody = await call(`${sim.ssoUrl}/access/authenticate/`, { method: 'POST', body: '{}' });
    expect(withBody.status).toBe(400);
  });

  it('refuses a userSearch GET that carries a body (PJM’s appliance rule)', async () => {
    const cookie = await signIn();
    const url = `${sim.url}rest/secure/download/csv/userSearch?username=x`;
    expect((await call(url, { headers: { cookie } })).status).toBe(200);
    const res = await call(url, { headers: { cookie }, body: 'q=1' });
    expect(res.status).toBe(400);
  });

  it('answers an unknown /rest/ path with a RESTEasy XML 500', async () => {
    const res = await call(`${sim.url}rest/nothing`);
    expect(res.status).toBe(500);
    expect(res.type).toBe('application/xml');
    expect(res.body).toContain('<errorType>javax.ws.rs.NotFoundException</errorType>');
  });

  it('seeds, approves a pending registration and reports state over /__sim/ endpoints', async () => {
    const seeded = await control('/__sim/seed', {
      users: [
        {
          username: 'pendingone',
          firstName: 'P',
          lastName: 'O',
          email: 'p@fake.com',
          status: 'Pending',
          accounts: ['ACCT'],
        },
      ],
    });
    expect(seeded.status).toBe(200);
    expect((await control('/__sim/pjm/approve/pendingone')).status).toBe(200);
    expect(sim.store.users.get('pendingone')?.status).toBe('Active');
    expect((await control('/__sim/pjm/approve/pendingone')).status).toBe(400);
    const state = await call(`${sim.url.replace('/accountmanager/', '')}/__sim/state`);
    expect(JSON.parse(state.body)).toMatchObject({ createCalls: 0, liveSessions: 0 });
  });

  it('sets knobs and faults over HTTP, and /__sim/reset restores the defaults', async () => {
    expect((await control('/__sim/knobs', { sessionFailureStyle: 'redirect302' })).status).toBe(200);
    expect(sim.knobs.sessionFailureStyle).toBe('redirect302');
    const redirected = await call(`${sim.url}rest/secure/download/csv/userSearch`);
    expect(redirected.status).toBe(302);
    expect((await control('/__sim/knobs', { sessionFailureStyle: 'sometimes' })).status).toBe(400);
    expect(
      (await control('/__sim/fault', { route: 'userSearch', fault: { status5xx: 502 }, times: 2 })).status,
    ).toBe(200);
    expect((await call(`${sim.url}rest/secure/download/csv/userSearch`)).status).toBe(502);
    expect((await call(`${sim.url}rest/secure/download/csv/userSearch`)).status).toBe(502);
    expect((await control('/__sim/reset')).status).toBe(200);
    expect(sim.knobs.sessionFailureStyle).toBe('html200');
    const page = await call(`${sim.url}rest/secure/download/csv/userSearch`);
    expect([page.status, page.type]).toEqual([200, 'text/html;charset=UTF-8']);
    expect(page.body).toContain('<title>Sign In</title>');
  });

  it('logs a session out and then treats its cookie as missing', async () => {
    const cookie = await signIn();
    expect(sim.liveSessions()).toBe(1);
    expect((await call(`${sim.ssoUrl}/access/logout`, { method: 'POST', headers: { cookie } })).status).toBe(
      200,
    );
    expect(sim.liveSessions()).toBe(0);
    const res = await call(`${sim.url}rest/secure/download/csv/userSearch`, { headers: { cookie } });
    expect(res.type).toContain('text/html');
  });

  it('settings() is a complete PjmSettings pointing at the simulator', () => {
    const s = sim.settings();
    expect(s).toMatchObject({
      enabled: true,
      approvalChannel: 'C0APPROVALS',
      approvers: ['U0APPROVER1', 'U0APPROVER2'],
      requiredApprovals: 1,
      allowSelfApproval: false,
      expireAfterHours: 72,
      remindAfterHours: [24],
      accountManagerUrl: sim.url,
      ssoUrl: sim.ssoUrl,
      employers: ['ACCT', 'OTHR'],
    });
    expect(s.accountAccess).toContain('PJM Public');
    expect(pjmSettingsSchema.parse(s)).toEqual(s);
  });
});
