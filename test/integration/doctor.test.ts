/**
 * npm run doctor against the fake Slack and the three vendor simulators, over real HTTP(S) with the
 * test PKI: good settings pass; a wrong PAM360 token, PJM password or Certification client secret
 * is each named with its fix. The entry point itself runs once, for its exit code and output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, configSchema } from '../../src/config/schema.ts';
import { runDoctor } from '../../src/doctor/run-doctor.ts';
import { renderTable } from '../../src/domain/check-result.ts';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { captureLogger } from '../fakes/capture-log.ts';
import { FakeClock } from '../fakes/fake-clock.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack/index.ts';
import { type CertSim, startCertSim } from '../fakes/sims/certification-sim.ts';
import { type Pam360Sim, startPam360Sim } from '../fakes/sims/pam360-sim.ts';
import { type PjmSim, startPjmSim } from '../fakes/sims/pjm-sim.ts';

const CHANNEL = 'C0APPROVALS';
const APPROVER = 'U0APPROVER1';
const WRONG = {
  pam360: 'PAM-WRONG-TOKEN-4471',
  pjm: 'pjm-wrong-password-8812',
  cert: 'cert-wrong-secret-2290',
};

describe('npm run doctor', () => {
  let slack: FakeSlack;
  let pjm: PjmSim;
  let pam360: Pam360Sim;
  let cert: CertSim;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'access-desk-doctor-'));
    slack = await startFakeSlack({
      users: [{ id: APPROVER }],
      channels: [{ id: CHANNEL, name: 'approvals' }],
    });
    [pjm, pam360, cert] = await Promise.all([startPjmSim(), startPam360Sim(), startCertSim()]);
  });
  afterAll(async () => {
    await Promise.all([slack.close(), pjm.close(), pam360.close(), cert.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const approval = { approvalChannel: CHANNEL, approvers: [APPROVER] };
  const tree = (patch: { pjm?: object; pam360?: object; cert?: object } = {}) => ({
    slack: { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl },
    store: { secretKey: generateSecretKey() },
    worker: {},
    log: {},
    health: {},
    shutdown: {},
    vendors: {
      pjm: { ...pjm.settings(approval), ...patch.pjm },
      pam360: { ...pam360.settings(approval), ...patch.pam360 },
      cert: { ...cert.settings(approval), ...patch.cert },
    },
  });
  const doctor = (config: Config) =>
    runDoctor(config, { log: captureLogger('error').log, clock: new FakeClock() });

  it('passes every check with good settings, each vendor for real', async () => {
    const results = await doctor(configSchema.parse(tree()));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'PJM SSO sign-in and sign-out (client certificate)',
        'PAM360 authenticated read',
        'Certification token (client_credentials)',
        'Certification authenticated call',
      ]),
    );
  });

  it('names the wrong PAM360 token, PJM password and Certification secret, each with its fix', async () => {
    const results = await doctor(
      configSchema.parse(
        tree({
          pjm: { ssoPassword: WRONG.pjm },
          pam360: { authToken: WRONG.pam360 },
          cert: { clientSecret: WRONG.cert },
        }),
      ),
    );
    const failed = Object.fromEntries(results.filter((r) => !r.ok).map((r) => [r.name, r.fix]));
    expect(failed).toEqual({
      'PJM SSO sign-in and sign-out (client certificate)': expect.stringMatching(/^PJM_SSO_PASSWORD: /),
      'PAM360 authenticated read': expect.stringMatching(/^PAM360_AUTH_TOKEN: /),
      'Certification token (client_credentials)': expect.stringMatching(/^CERT_CLIENT_SECRET: /),
    });
    const table = renderTable(results);
    expect(table).toContain('3 of');
    for (const secret of Object.values(WRONG)) expect(table).not.toContain(secret);
  });

  it('as a command: prints the table, exits 1 on a failure and 0 when all pass, no secret shown', async () => {
    const run = (config: object) => {
      const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(config));
      const clean = Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => !/^(SLACK|PJM|PAM360|CERT|DATABASE|ACCESS_DESK)_/.test(k),
        ),
      );
      const child = spawn(
        process.execPath,
        [fileURLToPath(new URL('../../src/doctor.ts', import.meta.url))],
        {
          env: { ...clean, ACCESS_DESK_CONFIG: file },
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise<{ status: number | null; out: string }>((resolve) =>
        child.on('close', (status) => resolve({ status, out })),
      );
    };
    const good = await run(tree());
    expect(good.out).toMatch(/All \d+ checks passed\./);
    expect(good.status).toBe(0);
    const bad = await run(tree({ pam360: { authToken: WRONG.pam360 } }));
    expect(bad.status).toBe(1);
    expect(bad.out).toMatch(/^FAIL {2}PAM360 authenticated read/m);
    expect(bad.out).toMatch(/fix: PAM360_AUTH_TOKEN: /);
    for (const secret of [WRONG.pam360, slack.botToken, slack.appToken])
      expect(bad.out).not.toContain(secret);
  });
});
