/**
 * PJM's mutual-TLS sign-in against the simulator's SSO server under TLS 1.2 and 1.3: certificate
 * problems are auth errors naming the setting (not "connection failed", not retried five times),
 * sign-ins are capped, and logout ends within the deadline.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PjmClient } from '../../../../src/vendors/pjm/pjm-client.ts';
import { resolvePjmConnection } from '../../../../src/vendors/pjm/pjm-connection.ts';
import { type PjmKit, pjmKit, SMITHJ, vendorErrorOf } from './pjm-kit.ts';

let kit: PjmKit;
beforeEach(async () => {
  kit = await pjmKit();
});
afterEach(async () => {
  await kit.close();
});

const signIns = () => kit.sim.requests.filter((r) => r.route === 'authenticate').length;

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('PJM client certificate problems (%s)', (version) => {
  beforeEach(() => kit.sim.setKnobs({ requireClientCert: true, ssoTlsMaxVersion: version }));

  it('a PKCS#12 that does not open with its passphrase: auth naming PJM_CLIENT_CERT_PASSPHRASE, nothing sent', async () => {
    // Start-up refuses this file; a client built past that check (file replaced later) still says so.
    const conn = { ...resolvePjmConnection(kit.sim.settings()), passphrase: 'not-the-passphrase' };
    const client = new PjmClient(conn, { log: kit.capture.log, clock: kit.clock });
    const session = client.openSession();
    const e = await vendorErrorOf(session.searchUsers({ username: 'smithj' }));
    await session.close();
    await client.close();
    expect(e).toMatchObject({ kind: 'auth', requestSent: false, httpStatus: null });
    expect(e.message).toBe(
      'PJM: the PKCS#12 in PJM_CLIENT_CERT_P12 does not open with PJM_CLIENT_CERT_PASSPHRASE (mac verify failure)',
    );
    expect(kit.sim.requests).toHaveLength(0);
  });

  it('a client certificate the server refuses: auth naming PJM_CLIENT_CERT_P12', async () => {
    const file = join(tmpdir(), `pjm-untrusted-${process.pid}-${version}.p12`);
    writeFileSync(file, kit.sim.pki.untrustedClientP12);
    const e = await vendorErrorOf(kit.provisioner({ clientCertP12: file }).precheck(SMITHJ));
    expect(e).toMatchObject({ kind: 'auth', requestSent: false, httpStatus: null });
    expect(e.message).toContain('PJM_CLIENT_CERT_P12');
    expect(e.message).not.toContain('may have arrived');
    expect(signIns()).toBe(0);
    expect(kit.sim.createCalls).toBe(0);
  });
});

describe('PJM sign-in caps', () => {
  it('sign-in reset every time: a pre-check signs in twice in all (once plus one retry), not nine times', async () => {
    kit.sim.fault('authenticate', { reset: true }, 20);
    const e = await vendorErrorOf(kit.provisioner().precheck(SMITHJ));
    expect(e).toMatchObject({ requestSent: false });
    expect(signIns()).toBe(2);
    expect(kit.sim.requests.filter((r) => r.route === 'userSearch')).toHaveLength(0);
  });

  it('a failing search is retried without signing in again', async () => {
    kit.sim.fault('userSearch', { status5xx: 503 }, 2);
    const result = await kit.provisioner().precheck(SMITHJ);
    expect(result.state).toBe('absent');
    expect(signIns()).toBe(1);
    // username search: 2 × 503 then 200; e-mail search: 200.
    expect(kit.sim.requests.filter((r) => r.route === 'userSearch')).toHaveLength(4);
  });

  it('a 401 at sign-in is never repeated', async () => {
    const e = await vendorErrorOf(kit.provisioner({ ssoPassword: 'wrong-password-1' }).precheck(SMITHJ));
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401 });
    expect(signIns()).toBe(1);
  });
});

it('PJM logout that never answers ends within the deadline + 10 %', async () => {
  const deadlineMs = 800;
  const client = kit.client({ timeoutMs: deadlineMs });
  const session = client.openSession();
  await session.searchUsers({ username: 'smithj' });
  kit.sim.fault('logout', { timeout: true });
  const started = performance.now();
  await session.close();
  const elapsed = performance.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(deadlineMs - 50);
  expect(elapsed).toBeLessThanOrEqual(deadlineMs * 1.1);
  expect(
    kit.capture.lines.some((l) => l.includes('"operation":"sso-logout"') && l.includes('"kind":"transient"')),
  ).toBe(true);
});
