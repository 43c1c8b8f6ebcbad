/**
 * `npm start` when something is wrong: a bad configuration, a token Slack refuses, a Slack that
 * cannot be reached. Each run exits 1 with a message naming the setting, one JSON log line, no
 * stack and no secret.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecretKey } from '../../src/secrets/secret-box.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack/index.ts';
import { testPki } from '../fakes/tls.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-startup-secret-bot-7781',
  PAM360_AUTH_TOKEN: 'PAM-STARTUP-SECRET-5512',
  PJM_SSO_PASSWORD: 'pjm-startup-secret-pw-0931',
};
const PAM360 = {
  PAM360_ENABLED: 'true',
  PAM360_APPROVAL_CHANNEL: 'C0ACCESS',
  PAM360_APPROVERS: 'U0AAA',
  PAM360_BASE_URL: 'https://pam360.example.com:8282',
  PAM360_AUTH_TOKEN: SECRETS.PAM360_AUTH_TOKEN,
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let slack: FakeSlack;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'access-desk-startup-'));
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the real entry point (asynchronously: the fake Slack answers from this process). */
function start(env: Record<string, string>): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(SLACK|PJM|PAM360|CERT|DATABASE|ACCESS_DESK|HEALTH|STORE|WORKER|LOG)_/.test(k),
    ),
  );
  const child = spawn(process.execPath, [main], {
    env: {
      ...clean,
      HEALTH_PORT: '0',
      STORE_SQLITE_PATH: join(dir, 'ad.db'),
      ACCESS_DESK_SECRET_KEY: generateSecretKey(),
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

/** Exit 1, the message on stderr, one JSON log line at fatal saying it, no stack, no secret. */
function expectCleanFailure(run: Run, message: RegExp): void {
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(message);
  const lines = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string });
  const fatal = lines.filter((l) => l.level === 'fatal');
  expect(fatal).toHaveLength(1);
  expect(fatal[0]!.msg).toMatch(message);
  const out = run.stdout + run.stderr;
  expect(out).not.toMatch(/\n\s+at /);
  for (const secret of [...Object.values(SECRETS), slack.appToken]) expect(out).not.toContain(secret);
}

describe('start-up that explains itself', () => {
  it('names every configuration mistake in one run, schema and cross-setting alike', async () => {
    const run = await start({
      ...SECRETS,
      SLACK_MODE: 'websockets',
      PAM360_ENABLED: 'true',
      PAM360_APPROVAL_CHANNEL: '#access',
      PAM360_APPROVERS: 'U0AAA',
      PAM360_BASE_URL: 'https://pam360.example.com:8282',
      PJM_ENABLED: 'yes please',
      CERT_ENABLED: 'true',
      CERT_APPROVAL_CHANNEL: 'C0CERT',
      CERT_APPROVERS: 'U0AAA',
    });
    expectCleanFailure(run, /Access Desk cannot start/);
    expect(run.stderr).toMatch(/SLACK_MODE: .*\(one of socket, http\)/);
    expect(run.stderr).toMatch(/PAM360_APPROVAL_CHANNEL: must be a Slack channel id/);
    expect(run.stderr).toMatch(/PJM_ENABLED: must be true or false/);
    // Cross-setting rules, reported in the same run as the schema errors above.
    expect(run.stderr).toMatch(/CERT_CLIENT_SECRET: is required when CERT_ENABLED is true/);
    expect(run.stderr).toMatch(/SLACK_APP_TOKEN: is required in Socket Mode/);
  });

  it('refuses an empty or malformed ACCESS_DESK_SECRET_KEY, saying how to make one', async () => {
    const key = 'not-a-key-but-secret-4471';
    for (const [env, message] of [
      [{ ACCESS_DESK_SECRET_KEY: '' }, /ACCESS_DESK_SECRET_KEY: must be 32 random bytes in base64/],
      [
        { ACCESS_DESK_SECRET_KEY: key },
        /ACCESS_DESK_SECRET_KEY: must be 32 random bytes in base64; make one with: openssl rand -base64 32/,
      ],
    ] as const) {
      const run = await start({ ...SECRETS, ...PAM360, SLACK_APP_TOKEN: 'xapp-x', ...env });
      expectCleanFailure(run, /Access Desk cannot start/);
      expect(run.stderr).toMatch(message);
      expect(run.stdout + run.stderr).not.toContain(key);
    }
  });

  it('says what a wrong type in the config file should have been', async () => {
    const file = join(dir, 'wrong-type.yml');
    writeFileSync(file, 'worker:\n  concurrency: "four"\n');
    const run = await start({ ...SECRETS, ...PAM360, SLACK_APP_TOKEN: 'xapp-x', ACCESS_DESK_CONFIG: file });
    expectCleanFailure(run, /Access Desk cannot start/);
    expect(run.stderr).toContain(
      `WORKER_CONCURRENCY (worker.concurrency in ${file}): expected a number, got "four"`,
    );
  });

  describe('opens the files settings name before anything else', () => {
    const pki = testPki();
    const file = (name: string, data: string | Buffer) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const pjm = () => ({
      PJM_ENABLED: 'true',
      PJM_APPROVAL_CHANNEL: 'C0PJM',
      PJM_APPROVERS: 'U0AAA',
      PJM_SSO_USERNAME: 'accessdeskbot',
      PJM_SSO_PASSWORD: SECRETS.PJM_SSO_PASSWORD,
      PJM_CLIENT_CERT_P12: file('client.p12', pki.clientP12),
      PJM_CLIENT_CERT_PASSPHRASE: pki.clientP12Passphrase,
    });
    const passphrase = 'wrong-passphrase-secret-2291';

    it.each([
      [
        'a PKCS#12 that does not open with its passphrase names PJM_CLIENT_CERT_PASSPHRASE',
        () => ({ ...pjm(), PJM_CLIENT_CERT_PASSPHRASE: passphrase }),
        /PJM_CLIENT_CERT_PASSPHRASE: the PKCS#12 in PJM_CLIENT_CERT_P12 does not open with PJM_CLIENT_CERT_PASSPHRASE \(mac verify failure\)/,
      ],
      [
        'a file that is not PKCS#12 names PJM_CLIENT_CERT_P12',
        () => ({ ...pjm(), PJM_CLIENT_CERT_P12: file('not-a.p12', pki.caPem) }),
        /PJM_CLIENT_CERT_P12: PJM_CLIENT_CERT_P12 is not a PKCS#12 file that opens/,
      ],
      [
        'a non-PEM CA file names PJM_CA_FILE',
        () => ({ ...pjm(), PJM_CA_FILE: file('ca.der', Buffer.from([0x30, 0x82, 0x01])) }),
        /PJM_CA_FILE: .*ca\.der is not a PEM certificate/,
      ],
      [
        'an unreadable CA file names PAM360_CA_FILE',
        () => ({ ...PAM360, PAM360_CA_FILE: join(dir, 'absent-ca.pem') }),
        /PAM360_CA_FILE: cannot read .*absent-ca\.pem \(ENOENT\)/,
      ],
    ])('%s: exit 1, no stack, no secret', async (_name, env, message) => {
      const run = await start({ ...SECRETS, SLACK_APP_TOKEN: 'xapp-x', ...env() });
      expectCleanFailure(run, /Access Desk cannot start/);
      expect(run.stderr).toMatch(message);
      for (const secret of [passphrase, pki.clientP12Passphrase])
        expect(run.stdout + run.stderr).not.toContain(secret);
    });
  });

  it('names SLACK_BOT_TOKEN when Slack refuses it', async () => {
    const run = await start({
      ...SECRETS,
      ...PAM360,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
    });
    expectCleanFailure(run, /SLACK_BOT_TOKEN refused by Slack \(invalid_auth\)/);
  });

  it('names SLACK_APP_TOKEN when Slack refuses the Socket Mode connection', async () => {
    const run = await start({
      ...SECRETS,
      ...PAM360,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: 'xapp-not-the-right-one-4411',
      SLACK_API_URL: slack.apiUrl,
    });
    expectCleanFailure(run, /SLACK_APP_TOKEN refused by Slack \(invalid_auth\)/);
    expect(run.stdout + run.stderr).not.toContain('xapp-not-the-right-one-4411');
  });

  it('names SLACK_API_URL when nothing answers there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await start({
      ...SECRETS,
      ...PAM360,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
    });
    expectCleanFailure(run, /SLACK_API_URL unreachable: .*ECONNREFUSED/);
  });
});
