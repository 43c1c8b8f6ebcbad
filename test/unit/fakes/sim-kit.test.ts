/**
 * The three simulators share one kit with one API: the same fault, knobs and /__sim/ requests do
 * the same thing on each, in process and over HTTP.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCertSim } from '../../fakes/sims/certification-sim.ts';
import { startPam360Sim } from '../../fakes/sims/pam360-sim.ts';
import { startPjmSim } from '../../fakes/sims/pjm-sim.ts';
import { testPki } from '../../fakes/tls.ts';

interface Subject {
  /** Base URL of the /__sim/ endpoints. */
  control: string;
  /** One vendor route: its name and a request to it. */
  route: string;
  call: { method: 'GET' | 'POST'; url: string };
  /** A knob and a value its schema refuses. */
  badKnob: Record<string, unknown>;
  calls(): number;
  fault(fault: object, times?: number): void;
  reset(): void;
  close(): Promise<void>;
}

const pki = testPki();
let agent: Agent;
const subjects: Record<string, Subject> = {};

beforeAll(async () => {
  agent = new Agent({ connect: { ca: pki.caPem } });
  const pjm = await startPjmSim();
  const pam360 = await startPam360Sim();
  const cert = await startCertSim({ tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
  subjects.pjm = {
    control: pjm.url.replace('/accountmanager/', ''),
    route: 'registrations',
    call: { method: 'POST', url: `${pjm.url}rest/secure/registrations` },
    badKnob: { csvLayout: 'sideways' },
    calls: () => pjm.calls.registrations,
    fault: (f, times) => pjm.fault('registrations', f, times),
    reset: () => pjm.reset(),
    close: () => pjm.close(),
  };
  subjects.pam360 = {
    control: pam360.url,
    route: 'getUserId',
    call: { method: 'GET', url: `${pam360.url}/restapi/json/v1/user/getUserId?USERNAME=x` },
    badKnob: { statusCase: 'maybe' },
    calls: () => pam360.calls.getUserId,
    fault: (f, times) => pam360.fault('getUserId', f, times),
    reset: () => pam360.reset(),
    close: () => pam360.close(),
  };
  subjects.cert = {
    control: cert.url,
    route: 'users',
    call: { method: 'POST', url: `${cert.url}/api/admin/v1.1.0/users` },
    badKnob: { idType: 'uuid' },
    calls: () => cert.usersRequests,
    fault: (f, times) => cert.fault('users', f, times),
    reset: () => cert.reset(),
    close: () => cert.close(),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(subjects).map((s) => s.close()));
  await agent.close();
});

async function send(method: 'GET' | 'POST', url: string, body?: unknown) {
  const res = await request(url, {
    method,
    dispatcher: agent,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

describe.each(['pjm', 'pam360', 'cert'])('%s simulator on the kit', (name) => {
  const s = () => subjects[name] as Subject;
  const hit = () => send(s().call.method, s().call.url);

  it('fault(): the next N calls answer the fault, then the route answers as the vendor does', async () => {
    s().reset();
    s().fault({ respond: { status: 418, body: 'teapot', contentType: 'text/plain' } }, 2);
    expect((await hit()).text).toBe('teapot');
    expect((await hit()).status).toBe(418);
    expect((await hit()).status).not.toBe(418);
    expect(s().calls()).toBe(3);
  });

  it('a 429 fault carries its Retry-After; a 5xx fault the vendor front end’s page', async () => {
    s().reset();
    s().fault({ status429: { retryAfter: '7' } });
    s().fault({ status5xx: 502 });
    const throttled = await hit();
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect((await hit()).status).toBe(502);
  });

  it('the same /__sim/ requests: fault, knobs (a bad value refused), state and reset', async () => {
    s().reset();
    const fault = await send('POST', `${s().control}/__sim/fault`, {
      route: s().route,
      fault: { respond: { status: 451, body: 'gone' } },
    });
    expect(fault.status).toBe(200);
    expect((await hit()).status).toBe(451);
    expect((await send('POST', `${s().control}/__sim/knobs`, s().badKnob)).status).toBe(400);
    expect((await send('POST', `${s().control}/__sim/fault`, { route: 'nowhere', fault: {} })).status).toBe(
      400,
    );
    expect((await send('GET', `${s().control}/__sim/state`)).status).toBe(200);
    expect((await send('POST', `${s().control}/__sim/reset`, {})).status).toBe(200);
    expect(s().calls()).toBe(0);
  });
});
