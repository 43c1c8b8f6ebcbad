/**
 * The real PAM360 and Certification clients against their simulators answering random statuses,
 * content types and bodies (the sims' "answer exactly this" faults). Every call ends in a result
 * or a typed VendorError; never another error, never an unhandled rejection, never the bot's
 * AUTHTOKEN in a message.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VendorError } from '../../src/errors.ts';
import { generatePassword } from '../../src/secrets/password-generator.ts';
import { createCertProvisioner } from '../../src/vendors/certification/certification-provisioner.ts';
import { createPam360Provisioner } from '../../src/vendors/pam360/pam360-provisioner.ts';
import type { Provisioner } from '../../src/vendors/provisioner.ts';
import { certForm, pam360Form } from '../chaos/chaos-kit.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { FakeClock } from '../fakes/fake-clock.ts';
import { type CertSim, startCertSim } from '../fakes/sims/certification-sim.ts';
import { type Pam360Sim, startPam360Sim } from '../fakes/sims/pam360-sim.ts';
import { RUNS, watchRejections } from './fuzz-kit.ts';

const KINDS = ['auth', 'validation', 'duplicate', 'throttle', 'transient', 'unknown'];

const answer = fc.record({
  status: fc.integer({ min: 200, max: 599 }),
  contentType: fc.constantFrom(
    'application/json',
    'application/json;charset=UTF-8',
    'text/html',
    'text/plain',
    'application/xml',
    '',
  ),
  body: fc.oneof(
    fc.json(),
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      '',
      '{',
      '<html><body>Bad gateway</body></html>',
      '{"operation":{"result":{}}}',
      'null',
      '[]',
    ),
    fc
      .record({
        operation: fc.record({
          result: fc.record({ status: fc.string(), message: fc.string() }),
          Details: fc.json(),
        }),
      })
      .map((o) => JSON.stringify(o)),
    fc
      .record({
        sucessCount: fc.integer(),
        failureCount: fc.integer(),
        failureResults: fc.json(),
        successResults: fc.json(),
      })
      .map((o) => JSON.stringify(o)),
  ),
});

describe('fuzzing vendor answers', () => {
  let pam: Pam360Sim;
  let cert: CertSim;
  let pamClient: Provisioner;
  let certClient: Provisioner;
  const logs = captureLogger('debug');
  const rejections = watchRejections();
  beforeAll(async () => {
    [pam, cert] = await Promise.all([startPam360Sim(), startCertSim()]);
    const deps = { log: logs.log, clock: new FakeClock() };
    pamClient = createPam360Provisioner(pam.settings({ timeoutMs: 2_000 }), deps);
    certClient = createCertProvisioner(cert.settings({ timeoutMs: 2_000 }), deps);
  });
  afterAll(async () => {
    rejections.stop();
    await Promise.all([pamClient?.close(), certClient?.close()]);
    await Promise.all([pam?.close(), cert?.close()]);
  });

  async function outcome(call: () => Promise<unknown>): Promise<void> {
    try {
      const result = (await call()) as { state?: string; kind?: string };
      expect(['exists', 'absent', 'unknown', 'done', 'rejected']).toContain(result.state ?? result.kind);
    } catch (e) {
      expect(e).toBeInstanceOf(VendorError);
      expect(KINDS).toContain((e as VendorError).kind);
      expect((e as VendorError).message).not.toContain(pam.botToken);
    }
  }

  it('PAM360: random answers to the pre-check and the create call', async () => {
    await fc.assert(
      fc.asyncProperty(answer, fc.boolean(), fc.nat(), async (raw, create, n) => {
        pam.fault(create ? 'createUser' : 'getUserId', { respond: raw });
        const payload = pamClient.parseForm(pam360Form(`fz${n % 100000}`));
        await outcome(() => (create ? pamClient.submit(payload) : pamClient.precheck(payload)));
      }),
      { numRuns: RUNS.vendor },
    );
    expect(rejections.seen).toEqual([]);
    expect(logs.text()).not.toContain(pam.botToken);
  });

  it('Certification: random answers from the token endpoint and the users route', async () => {
    await fc.assert(
      fc.asyncProperty(
        answer,
        fc.constantFrom('token', 'users') as fc.Arbitrary<'token' | 'users'>,
        fc.nat(),
        async (raw, route, n) => {
          cert.revokeTokens();
          cert.fault(route, { respond: raw });
          const user = `fz${n % 100000}`;
          // The create call carries the password the worker would generate; the stored payload has none.
          const payload = certClient.passwords!.join(certClient.parseForm(certForm(user)), {
            [user]: generatePassword(),
          });
          await outcome(() => certClient.submit(payload));
        },
      ),
      { numRuns: RUNS.vendor },
    );
    expect(rejections.seen).toEqual([]);
  });
});
