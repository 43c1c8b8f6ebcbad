/** Create Users results and transport failures (reference §3.4, §3.6), real client ↔ real simulator. */
import { once } from 'node:events';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERIFY_NOTE } from '../../../../src/vendors/certification/certification-outcome.ts';
import { DUPLICATE_EMAIL, DUPLICATE_USER_NAME } from '../../../fakes/sims/certification-sim-backend.ts';
import { done, type Harness, payloadOf, rejected, startHarness, user, vendorError } from './cert-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('certification: results', () => {
  it('creates one user: headline, line with the vendor id, every seed field on the wire', async () => {
    const payload = payloadOf(
      user(1, {
        phoneNumber: '555-555-5555',
        roles: [{ type: 'Certification', value: 'Reconciler' }],
        departmentId: 'SALES',
        locationId: 'Americas',
        programAdminRoleId: 'Admin',
        name: { firstName: 'Test', lastName: 'User1', middleName: 'A', displayName: 'Test User1' },
      }),
    );
    const outcome = done(await h.provisioner().submit(payload));
    const [stored] = h.sim.users();
    expect(outcome.headline).toBe('1 created');
    expect(outcome.lines).toEqual([`testuser1: created (id ${stored?.id})`]);
    expect(outcome.items).toEqual([{ subject: 'testuser1', ok: true, id: String(stored?.id), messages: [] }]);
    expect(stored?.fields).toMatchObject({
      phoneNumber: '555-555-5555',
      roles: [{ type: 'Certification', value: 'Reconciler' }],
      userAccess: {
        r2RAdmin: false,
        r2REnabled: true,
        accessClose: true,
        r2RReadOnly: false,
        accessCompliance: false,
      },
      departmentId: 'SALES',
      locationId: 'Americas',
      programAdminRoleId: 'Admin',
      lockedOut: false,
      name: { middleName: 'A', displayName: 'Test User1' },
    });
  });

  it('sends the program admin role under programAdminId when settings say so', async () => {
    const p = h.provisioner({ programAdminField: 'programAdminId' });
    done(await p.submit(payloadOf(user(1, { programAdminRoleId: 'Admin' }))));
    const fields = h.sim.users()[0]?.fields ?? {};
    expect(fields.programAdminId).toBe('Admin');
    expect(fields).not.toHaveProperty('programAdminRoleId');
  });

  it.each([400, 200] as const)(
    'mixed batch with HTTP %i → done with per-user items and counts',
    async (status) => {
      h.sim.setKnobs({ mixedBatchStatus: status });
      h.sim.seedUsers([{ userName: 'testuser2', email: 'someone@localhost.local' }]);
      const outcome = done(await h.provisioner().submit(payloadOf(user(1), user(2))));
      expect(outcome.headline).toBe('1 created, 1 failed');
      expect(outcome.items?.map((i) => [i.subject, i.ok])).toEqual([
        ['testuser1', true],
        ['testuser2', false],
      ]);
      expect(outcome.items?.[1]?.messages).toEqual([DUPLICATE_USER_NAME]);
      expect(outcome.lines[1]).toBe(`testuser2: failed. ${DUPLICATE_USER_NAME}`);
    },
  );

  it('all users refused as duplicates (HTTP 400) → rejected with Certification’s words per user', async () => {
    h.sim.seedUsers([
      { userName: 'testuser1', email: 'testuser1@localhost.local' },
      { userName: 'TESTUSER2', email: 'testuser2@localhost.local' },
    ]);
    const outcome = rejected(await h.provisioner().submit(payloadOf(user(1), user(2))));
    expect(outcome.headline).toBe('0 created, 2 failed');
    expect(outcome.messages).toEqual([
      `testuser1: ${DUPLICATE_USER_NAME}`,
      `testuser1: ${DUPLICATE_EMAIL}`,
      `testuser2: ${DUPLICATE_USER_NAME}`,
      `testuser2: ${DUPLICATE_EMAIL}`,
    ]);
  });

  it('1001 users go out as two calls (1000 + 1) and the results are merged', async () => {
    const users = Array.from({ length: 1001 }, (_, i) => user(i + 1));
    const outcome = done(await h.provisioner().submit(payloadOf(...users)));
    expect(h.sim.createCalls).toBe(2);
    expect(outcome.headline).toBe('1001 created');
    expect(outcome.items).toHaveLength(1001);
    expect(outcome.items?.every((i) => i.ok)).toBe(true);
    expect(h.sim.users()).toHaveLength(1001);
  });

  it('a failing second batch is requestSent true: the first batch was created', async () => {
    const users = Array.from({ length: 1001 }, (_, i) => user(i + 1));
    h.sim.fault('users', {}, 1);
    h.sim.fault('users', { status429: {} }, 1);
    const e = await vendorError(h.provisioner().submit(payloadOf(...users)));
    expect(e).toMatchObject({ kind: 'throttle', httpStatus: 429, requestSent: true });
    expect(e.message).toContain('after 1000 users in earlier batches were sent');
    expect(h.sim.users()).toHaveLength(1000);
  });

  it('accepts the successCount spelling and numeric ids', async () => {
    h.sim.setKnobs({ responseSpelling: 'successCount', idType: 'number' });
    const outcome = done(await h.provisioner().submit(payloadOf(user(1))));
    expect(outcome.items?.[0]).toEqual({ subject: 'testuser1', ok: true, id: '1001', messages: [] });
    expect(outcome.lines).toEqual(['testuser1: created (id 1001)']);
  });

  it('a user missing from the answer is reported "verify manually"', async () => {
    h.sim.fault('users', {
      respond: {
        status: 200,
        body: JSON.stringify({ sucessCount: 0, successResults: [], failureResults: [] }),
      },
    });
    const outcome = rejected(await h.provisioner().submit(payloadOf(user(1))));
    expect(outcome.messages).toEqual([
      'testuser1: Certification returned no result for this user — verify manually',
    ]);
  });
});

describe('certification: whole-request and transport failures', () => {
  it('400 {"message": …} → validation with Certification’s words; nothing created', async () => {
    h.sim.fault('users', {
      respond: { status: 400, body: '{"message":"Request must contain between 1 and 1000 users"}' },
    });
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'validation', httpStatus: 400, requestSent: false });
    expect(e.userText).toBe('Request must contain between 1 and 1000 users');
  });

  it('non-JSON 502 → transient, requestSent true (the gateway may have forwarded the batch)', async () => {
    h.sim.fault('users', { status5xx: 502 });
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: 502, requestSent: true, vendorMessages: [] });
    expect(e.userText).toBe(
      'Certification create users: HTTP 502 with a non-JSON body; the request may have arrived',
    );
  });

  it('non-JSON 200 → unknown, requestSent true', async () => {
    h.sim.fault('users', { respond: { status: 200, body: '<html>ok</html>', contentType: 'text/html' } });
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'unknown', httpStatus: 200, requestSent: true });
    expect(e.userText).toContain('may have arrived');
  });

  it('timeout after sending → transient, requestSent true; the re-send (told by the stored fact, after a restart) reports "exists — verify manually"', async () => {
    const p = h.provisioner({ timeoutMs: 300 });
    h.sim.fault('users', { timeout: true, afterProcessing: true });
    const e = await vendorError(p.submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: true });
    expect(e.userText).toBe(
      'Certification create users: no complete answer within CERT_TIMEOUT_MS; the request may have arrived',
    );
    expect(h.sim.createCalls).toBe(1);

    // A new adapter, as after a restart: only the worker's ambiguousSubmit fact says it is a re-send.
    const outcome = rejected(await h.provisioner().submit(payloadOf(user(1)), undefined, { resend: true }));
    expect(outcome.headline).toBe('0 created, 1 exists — verify manually');
    expect(outcome.messages).toContain(`testuser1: ${VERIFY_NOTE}`);
    expect(outcome.items?.[0]?.messages).toContain(DUPLICATE_USER_NAME);
  });

  it('a mixed re-send after a timeout: new users created, the earlier ones "exists — verify manually"', async () => {
    const p = h.provisioner({ timeoutMs: 300 });
    h.sim.fault('users', { timeout: true, afterProcessing: true });
    const payload = payloadOf(user(1), user(2));
    await vendorError(p.submit(payload));
    h.sim.reset();
    h.sim.seedUsers([{ userName: 'testuser1', email: 'testuser1@localhost.local' }]);
    const first = done(await h.provisioner().submit(payload));
    expect(first.headline).toBe('1 created, 1 failed');
    h.sim.reset();
    h.sim.seedUsers([{ userName: 'testuser1', email: 'testuser1@localhost.local' }]);
    const outcome = done(await h.provisioner().submit(payload, undefined, { resend: true }));
    expect(outcome.headline).toBe('1 created, 1 exists — verify manually');
    expect(outcome.lines[0]).toBe(
      `testuser1: exists — verify manually. Certification said: ${DUPLICATE_USER_NAME} ${DUPLICATE_EMAIL}`,
    );
    expect(outcome.lines[1]).toMatch(/^testuser2: created \(id .+\)$/);
  });

  it('connection reset after sending → transient, requestSent true', async () => {
    h.sim.fault('users', { reset: true, afterProcessing: true });
    const e = await vendorError(h.provisioner().submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: true });
    expect(e.userText).toMatch(
      /^Certification create users: connection failed \(.+\); the request may have arrived$/,
    );
  });

  it('connection refused → transient, requestSent false', async () => {
    const port = await closedPort();
    const p = h.provisioner({ baseUrl: `http://127.0.0.1:${port}/api/admin/v1.1.0` });
    const e = await vendorError(p.submit(payloadOf(user(1))));
    expect(e).toMatchObject({ kind: 'transient', httpStatus: null, requestSent: false });
    expect(e.userText).toBe('Certification create users: could not connect (ECONNREFUSED)');
  });
});
