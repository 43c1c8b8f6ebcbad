/**
 * No secret (SSO password, certificate passphrase, tokenIds, cookie values) in any log line or any
 * thrown error, across success and failure paths, with a real pino logger capturing every line.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { VendorError } from '../../../../src/errors.ts';
import { createPjmProvisioner } from '../../../../src/vendors/pjm/pjm-provisioner.ts';
import { type PjmKit, pjmKit, SMITHJ } from './pjm-kit.ts';

let kit: PjmKit;
beforeEach(async () => {
  kit = await pjmKit();
});
afterEach(async () => {
  await kit.close();
});

it('keeps passwords, passphrases, tokens and cookies out of logs and errors', async () => {
  const errors: unknown[] = [];
  const attempt = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      errors.push(e);
    }
  };
  const wrongPassword = 'Wr0ng-Secret-Pw!';
  kit.sim.setKnobs({ tokenTtlSeconds: 60 });
  const p = kit.provisioner();
  await p.submit(SMITHJ);
  await p.precheck(SMITHJ);
  await p.lookup('jsmith@fake.com');
  await attempt(kit.provisioner({ ssoPassword: wrongPassword }).submit(SMITHJ));
  await attempt(kit.provisioner({ environment: 'prod' }).submit(SMITHJ));
  kit.sim.fault('registrations', { reset: true });
  await attempt(p.submit(SMITHJ));
  kit.sim.fault('registrations', { status429: { retryAfter: '7' } });
  await attempt(p.submit(SMITHJ));
  await attempt(kit.provisioner({ accountManagerUrl: `${kit.sim.url}rest/` }).submit(SMITHJ));
  const session = kit.client().openSession();
  await session.searchUsers({ username: 'smithj' });
  kit.clock.advance(61_000);
  await session.searchUsers({ username: 'smithj' });
  await session.close();
  await attempt(
    Promise.resolve().then(() =>
      createPjmProvisioner(kit.sim.settings({ ssoUsername: undefined }), {
        log: kit.capture.log,
        clock: kit.clock,
      }),
    ),
  );

  const secrets = [
    kit.sim.botUser.password,
    wrongPassword,
    kit.sim.pki.clientP12Passphrase,
    ...kit.sim.state.issuedTokens,
  ];
  expect(kit.sim.state.issuedTokens.length).toBeGreaterThanOrEqual(6);
  expect(errors).toHaveLength(6);
  expect(errors.filter((e) => e instanceof VendorError)).toHaveLength(5);
  const logText = kit.capture.text();
  expect(kit.capture.lines.filter((l) => l.includes('"vendor call"')).length).toBeGreaterThan(10);
  const errorTexts = errors.flatMap((e) => [
    String(e),
    e instanceof Error ? e.message : '',
    e instanceof VendorError ? e.userText : '',
    e instanceof VendorError ? e.vendorMessages.join('\n') : '',
    JSON.stringify(e),
  ]);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(5);
    expect(logText).not.toContain(secret);
    for (const text of errorTexts) expect(text).not.toContain(secret);
  }
  expect(logText).not.toMatch(/pjmauth(train)?=/);
});
