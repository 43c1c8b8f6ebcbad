/** The PAM360 simulator's own contract (vendor-apis.md §6.2), driven with raw HTTPS requests. */
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { usePam360Sim } from './pam360-fixtures.ts';

const kit = usePam360Sim();

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const dispatcher = new Agent({ connect: { ca: kit.sim.caPem } });
  const res = await request(`${kit.sim.url}${path}`, { method, dispatcher, ...init });
  const text = await res.body.text();
  await dispatcher.close();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

const auth = () => ({ AUTHTOKEN: kit.sim.botToken });
const form = (input: string | null) =>
  input === null ? '' : new URLSearchParams({ INPUT_DATA: input }).toString();
const jane = JSON.stringify({
  operation: {
    Details: { FIRSTNAME: 'Jane', LASTNAME: 'Smith', USERNAME: 'jsmith', EMAIL: 'j@example.com' },
  },
});

describe('PAM360 sim: create input', () => {
  it.each([
    ['missing', null],
    ['not JSON', '{"operation":'],
  ])('INPUT_DATA %s → HTTP 200 Failed "Invalid input data"', async (_label, input) => {
    const res = await call('POST', '/restapi/json/v1/user', {
      headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form(input),
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      operation: { result: { message: 'Invalid input data', status: 'Failed' }, name: 'CREATE_USER' },
    });
    expect(kit.sim.createCalls).toBe(1);
  });

  it('accepts INPUT_DATA sent with Content-Type text/json (as pypmp does) and string booleans', async () => {
    const input = JSON.stringify({
      operation: {
        Details: { FIRSTNAME: 'A', LASTNAME: 'B', USERNAME: 'ab', EMAIL: 'a@b.example', ISAPIUSER: 'true' },
      },
    });
    const res = await call('POST', '/restapi/json/v1/user', {
      headers: { ...auth(), 'content-type': 'text/json' },
      body: form(input),
    });
    expect(res.json().operation.Details).toMatchObject({ USERID: '601', AUTHTOKEN: expect.any(String) });
  });

  it("refuses a PASSWORD that breaks the password policy knob, and takes the seed's Test@123", async () => {
    const create = (USERNAME: string, PASSWORD: string) =>
      call('POST', '/restapi/json/v1/user', {
        headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
        body: form(
          JSON.stringify({
            operation: {
              Details: { FIRSTNAME: 'P', LASTNAME: 'W', USERNAME, EMAIL: 'p@w.example', PASSWORD },
            },
          }),
        ),
      });
    expect((await create('weak1', 'test@123')).json().operation.result).toEqual({
      message: 'Password does not conform to the password policy',
      status: 'Failed',
    });
    expect(kit.sim.store.find('weak1')).toBeUndefined();
    expect((await create('strong1', 'Test@123')).json().operation.result.status).toBe('Success');
    expect(kit.sim.passwordOf('strong1')).toBe('Test@123');
  });

  it('accepts AUTHTOKEN as a query parameter too', async () => {
    const res = await call('GET', `/restapi/json/v1/user/getUserId?USERNAME=x&AUTHTOKEN=${kit.sim.botToken}`);
    expect(res.json().operation.result).toEqual({ message: 'User not found', status: 'Failed' });
  });

  it('sequential USERIDs from 601', async () => {
    const headers = { ...auth(), 'content-type': 'application/x-www-form-urlencoded' };
    await call('POST', '/restapi/json/v1/user', { headers, body: form(jane) });
    await call('POST', '/restapi/json/v1/user', { headers, body: form(jane.replace('jsmith', 'jdoe')) });
    expect([...kit.sim.store.users.values()].map((u) => u.USERID)).toEqual(['601', '602']);
  });
});

describe('PAM360 sim: knobs', () => {
  it('statusCase boolean sends JSON booleans; product pmp changes the Server header', async () => {
    kit.sim.setKnobs({ statusCase: 'boolean', product: 'pmp' });
    const res = await call('GET', '/restapi/json/v1/user/getUserId?USERNAME=x', { headers: auth() });
    expect(res.json().operation.result.status).toBe(false);
    expect(res.headers.server).toBe('PMP');
  });

  it('unknown route → HTTP 404 with an empty body', async () => {
    const res = await call('GET', '/restapi/json/v1/nothing', { headers: auth() });
    expect([res.status, res.text]).toEqual([404, '']);
  });
});

describe('PAM360 sim: delete, lock, unlock', () => {
  it('delete by USERID, then a second delete fails', async () => {
    const user = kit.sim.seedUser({ USERNAME: 'gone' });
    const first = await call('DELETE', `/restapi/json/v1/user/${user.USERID}`, { headers: auth() });
    expect(first.json().operation.result).toEqual({
      message: 'User deleted successfully',
      status: 'Success',
    });
    const second = await call('DELETE', `/restapi/json/v1/user/${user.USERID}`, { headers: auth() });
    expect(second.json().operation.result.status).toBe('Failed');
  });

  it('a locked API user’s token stops authenticating until unlocked', async () => {
    kit.sim.seedUser({ USERNAME: 'robot', isApiUser: true });
    kit.sim.seedToken('ROBOT-TOKEN', { username: 'robot' });
    const lock = await call('PUT', '/restapi/json/v1/user/lock?USERNAME=robot', { headers: auth() });
    expect(lock.json().operation.result.status).toBe('Success');
    const refused = await call('GET', '/restapi/json/v1/user/getUserId?USERNAME=robot', {
      headers: { AUTHTOKEN: 'ROBOT-TOKEN' },
    });
    expect(refused.json().operation.name).toBe('Authentication');
    await call('PUT', '/restapi/json/v1/user/unlock?USERNAME=robot', { headers: auth() });
    const ok = await call('GET', '/restapi/json/v1/user/getUserId?USERNAME=robot', {
      headers: { AUTHTOKEN: 'ROBOT-TOKEN' },
    });
    expect(ok.json().operation.Details).toEqual({ USERID: '601' });
  });

  it('X-Sim-Client-Host decides the caller’s host for bound tokens', async () => {
    kit.sim.seedToken('BOUND', { host: 'ops-box' });
    const path = '/restapi/json/v1/user/getUserId?USERNAME=x';
    const fromOps = await call('GET', path, {
      headers: { AUTHTOKEN: 'BOUND', 'X-Sim-Client-Host': 'ops-box' },
    });
    const fromElsewhere = await call('GET', path, { headers: { AUTHTOKEN: 'BOUND' } });
    expect(fromOps.json().operation.name).toBe('GET_USER_ID');
    expect(fromElsewhere.json().operation.result.message).toBe(
      'User is not allowed to access from this host',
    );
  });
});

describe('PAM360 sim: /__sim endpoints', () => {
  const post = (path: string, value: unknown) =>
    call('POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

  it('seed, knobs, faults, state and reset', async () => {
    const seeded = await post('/__sim/seed', { users: [{ USERNAME: 'seeded' }], tokens: [{ token: 'T1' }] });
    expect(seeded.json()).toEqual({ users: [{ USERNAME: 'seeded', USERID: '601' }] });
    expect((await post('/__sim/knobs', { statusCase: 'SUCCESS/FAILED' })).status).toBe(200);
    expect((await post('/__sim/knobs', { statusCase: 'maybe' })).status).toBe(400);
    await post('/__sim/fault', { route: 'getUserId', fault: { status5xx: 503 }, times: 1 });
    const path = '/restapi/json/v1/user/getUserId?USERNAME=seeded';
    expect((await call('GET', path, { headers: { AUTHTOKEN: 'T1' } })).status).toBe(503);
    const found = await call('GET', path, { headers: { AUTHTOKEN: 'T1' } });
    expect(found.json().operation.result.status).toBe('SUCCESS');
    const state = (await call('GET', '/__sim/state')).json();
    expect(state).toMatchObject({ calls: { getUserId: 2 }, createCalls: 0, users: [{ USERNAME: 'seeded' }] });
    await post('/__sim/reset', {});
    expect(kit.sim.store.users.size).toBe(0);
    expect(kit.sim.knobs.statusCase).toBe('Success/Failed');
  });
});
