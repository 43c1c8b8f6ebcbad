/** `npm start` with a bad configuration: every problem named, exit code 1, no secret printed. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-startup-secret-bot-7781',
  PAM360_AUTH_TOKEN: 'PAM-STARTUP-SECRET-5512',
  PJM_SSO_PASSWORD: 'pjm-startup-secret-pw-0931',
};

function start(env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SLACK|PJM|PAM360|CERT|DATABASE|ACCESS_DESK)_/.test(k)),
  );
  return spawnSync(process.execPath, [main], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('start-up with a bad configuration', () => {
  it('prints all three mistakes by setting name, exits non-zero, and prints none of the secrets', () => {
    const run = start({
      ...SECRETS,
      SLACK_MODE: 'websockets',
      PAM360_ENABLED: 'true',
      PAM360_APPROVAL_CHANNEL: '#access',
      PAM360_APPROVERS: 'U0AAA',
      PAM360_BASE_URL: 'https://pam360.example.com:8282',
      PJM_ENABLED: 'yes please',
    });
    expect(run.status).toBe(1);
    const out = run.stdout + run.stderr;
    expect(out).toMatch(/SLACK_MODE: .*\(one of socket, http\)/);
    expect(out).toMatch(/PAM360_APPROVAL_CHANNEL: must be a Slack channel id/);
    expect(out).toMatch(/PJM_ENABLED: must be true or false/);
    for (const secret of Object.values(SECRETS)) expect(out).not.toContain(secret);
  });
});
