/** PAM360 create-call outcomes and transport failures (vendor-apis.md §2.4, §2.5, §2.7), client ↔ sim. */
import { describe, expect, it } from 'vitest';
import { Pam360Client } from '../../../../src/vendors/pam360/pam360-client.ts';
import { captureLogger } from '../../../fakes/capture-log.ts';
import type { Pam360SimKnobs } from '../../../fakes/sims/pam360-sim.ts';
import { payload, usePam360Sim, vendorError } from './pam360-fixtures.ts';

const kit = usePam360Sim();

describe('PAM360 result status spellings', () => {
  const cases: Pam360SimKnobs['statusCase'][] = ['Success/Failed', 'SUCCESS/FAILED', 'true/false', 'boolean'];

  it.each(cases)('statusCase %s: success is read as done', async (statusCase) => {
    kit.sim.setKnobs({ statusCase });
    const outcome = await kit.make().submit(payload());
    expect(outcome).toMatchObject({ kind: 'done', label: 'Created in PAM360', headline: 'USERID 601' });
  });

  it.each(cases)('statusCase %s: failure is read as rejected', async (statusCase) => {
    kit.sim.setKnobs({ statusCase });
    kit.sim.seedUser({ USERNAME: 'jsmith' });
    const outcome = await kit.make().submit(payload());
    expect(outcome).toMatchObject({ kind: 'rejected', messages: ['User jsmith already exists'] });
  });

  it('an unrecognised status is kind unknown with requestSent true', async () => {
    const body = JSON.stringify({
      operation: { name: 'CREATE_USER', result: { status: 'Pending', message: 'Queued' } },
    });
    kit.sim.fault('createUser', { respond: { status: 200, contentType: 'application/json', body } });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({
      kind: 'unknown',
      httpStatus: 200,
      requestSent: true,
      vendorMessages: ['Queued'],
    });
    expect(e.userText).toBe('Queued');
  });

  it('USERID as a JSON number is accepted', async () => {
    const body = JSON.stringify({
      operation: {
        name: 'CREATE_USER',
        result: { status: 'Success', message: 'ok' },
        Details: { USERID: 603 },
      },
    });
    kit.sim.fault('createUser', { respond: { status: 200, contentType: 'application/json', body } });
    await expect(kit.make().submit(payload())).resolves.toMatchObject({
      label: 'Created in PAM360',
      headline: 'USERID 603',
    });
  });
});

describe('PAM360 CREATE_USER Failed → rejected with PAM360’s message', () => {
  it('duplicate username', async () => {
    kit.sim.seedUser({ USERNAME: 'JSmith' });
    const outcome = await kit.make().submit(payload());
    expect(outcome).toEqual({
      kind: 'rejected',
      headline: 'PAM360 did not create jsmith',
      messages: ['User jsmith already exists'],
    });
  });

  it('invalid role', async () => {
    const outcome = await kit.make().submit(payload({ ROLE: 'Janitor' }));
    expect(outcome).toMatchObject({ kind: 'rejected', messages: ['Invalid role'] });
  });

  it('invalid expiry date', async () => {
    const outcome = await kit.make().submit(payload({ ISAPIUSER: true, EXPIRYDATE: '2026-02-30' }));
    expect(outcome).toMatchObject({ kind: 'rejected', messages: ['Invalid expiry date'] });
  });

  it('missing mandatory field (client called directly: our own schema would stop it earlier)', async () => {
    const client = new Pam360Client({
      baseUrl: kit.sim.url,
      authToken: kit.sim.botToken,
      ca: kit.sim.caPem,
      timeoutMs: 5_000,
      maxResponseBytes: 1_000_000,
      log: captureLogger().log,
      clock: kit.clock,
    });
    const Details = { FIRSTNAME: '', LASTNAME: 'Smith', USERNAME: 'jsmith', EMAIL: 'jane.smith@example.com' };
    const result = await client.createUser({ operation: { Details } });
    await client.close();
    expect(result).toEqual({ ok: false, message: 'FIRSTNAME is mandatory' });
  });

  it.each(['missing', 'notJson'] as const)(
    'INPUT_DATA %s at PAM360 → "Invalid input data"',
    async (inputData) => {
      kit.sim.setKnobs({ inputData });
      const outcome = await kit.make().submit(payload());
      expect(outcome).toMatchObject({ kind: 'rejected', messages: ['Invalid input data'] });
      expect(kit.sim.store.users.size).toBe(0);
    },
  );
});

describe('PAM360 transport and proxy failures', () => {
  it('non-JSON body: HTML 502 from a proxy is kind transient, requestSent true, no HTML shown', async () => {
    kit.sim.fault('createUser', { status5xx: 502 });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: 502, requestSent: true, vendorMessages: [] });
    expect(e.userText).toMatch(/HTTP 502.*non-PAM360 body/);
    expect(e.userText).not.toContain('<html>');
  });

  it('non-JSON body with HTTP 200 is kind unknown with requestSent true', async () => {
    kit.sim.fault('createUser', {
      respond: { status: 200, contentType: 'text/html', body: '<html>login</html>' },
    });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({ kind: 'unknown', httpStatus: 200, requestSent: true });
    expect(e.userText).toContain('not a PAM360 answer (text/html)');
  });

  it('HTTP 5xx with a PAM360 envelope is kind transient carrying PAM360’s message', async () => {
    const body = JSON.stringify({ operation: { result: { status: 'Failed', message: 'Server is busy' } } });
    kit.sim.fault('createUser', { respond: { status: 503, contentType: 'application/json', body } });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: 503, requestSent: true });
    expect(e.userText).toBe('Server is busy');
  });

  it('a failed create is not retried by the client', async () => {
    kit.sim.fault('createUser', { status5xx: 500 }, 3);
    await vendorError(kit.make().submit(payload()));
    expect(kit.sim.createCalls).toBe(1);
  });

  it('timeout after sending (no answer) is kind transient with requestSent true', async () => {
    kit.sim.fault('createUser', { timeout: true, afterProcessing: true });
    const provisioner = kit.make({ timeoutMs: 300 });
    const e = await vendorError(provisioner.submit(payload()));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: true });
    expect(e.userText).toMatch(/no complete answer within PAM360_TIMEOUT_MS; the request may have arrived/);
    // The worker's next step: the precheck proves the lost create did happen.
    await expect(provisioner.precheck(payload())).resolves.toMatchObject({ state: 'exists' });
  });

  it('connection reset after sending is kind transient with requestSent true', async () => {
    kit.sim.fault('createUser', { reset: true });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: true });
    expect(e.userText).toMatch(/the request may have arrived/);
    expect(kit.sim.createCalls).toBe(1);
  });

  it('HTTP 429 is kind throttle with Retry-After seconds, without waiting in the client', async () => {
    kit.sim.fault('createUser', { status429: { retryAfter: '7' } });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({ kind: 'throttle', httpStatus: 429, retryAfterMs: 7_000, requestSent: false });
    expect(e.userText).toContain('too many requests');
  });

  it('HTTP 429 with an HTTP-date Retry-After is measured against the injected clock', async () => {
    kit.sim.fault('createUser', { status429: { retryAfter: 'Tue, 24 Nov 2026 09:00:30 GMT' } });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e.retryAfterMs).toBe(30_000);
  });

  it('HTTP 429 without Retry-After has retryAfterMs null', async () => {
    kit.sim.fault('createUser', { status429: {} });
    const e = await vendorError(kit.make().submit(payload()));
    expect(e).toMatchObject({ kind: 'throttle', retryAfterMs: null });
  });
});
