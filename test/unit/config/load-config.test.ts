import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  REFERENCE_BEGIN,
  REFERENCE_END,
  renderConfigReference,
} from '../../../src/config/config-reference.ts';
import { type Env, loadConfig } from '../../../src/config/load-config.ts';
import { SETTINGS } from '../../../src/config/settings-catalog.ts';
import { ConfigError } from '../../../src/errors.ts';

const BOT = 'xoxb-test-bot-token-111';
const APP = 'xapp-test-app-token-222';
const PAM_TOKEN = 'PAM-SECRET-TOKEN-333';

const SECRET_KEY = 'q6mJ3kq1y1bX0kq3cH1rjH2o1k0cW8s0yJ0cQz3Wv9U=';

const base: Env = {
  ACCESS_DESK_SECRET_KEY: SECRET_KEY,
  SLACK_BOT_TOKEN: BOT,
  SLACK_APP_TOKEN: APP,
  PAM360_ENABLED: 'true',
  PAM360_APPROVAL_CHANNEL: 'C0APPROVE',
  PAM360_APPROVERS: 'U0AAA, U0BBB',
  PAM360_BASE_URL: 'https://pam360.example.com:8282',
  PAM360_AUTH_TOKEN: PAM_TOKEN,
};

const noFiles = (path: string): string => {
  throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
};
const files =
  (map: Record<string, string>) =>
  (path: string): string => {
    const f = map[path];
    if (f === undefined) return noFiles(path);
    return f;
  };

function configError(env: Env, readFile = noFiles): ConfigError {
  try {
    loadConfig(env, readFile);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads environment variables, coerces lists, numbers and booleans, and fills defaults', () => {
    const c = loadConfig(
      { ...base, PAM360_REQUIRED_APPROVALS: '2', PAM360_REMIND_AFTER_HOURS: '4,24' },
      noFiles,
    );
    expect(c.slack.mode).toBe('socket');
    expect(c.slack.apiUrl).toBe('https://slack.com/api/');
    expect(c.store.sqlitePath).toBe('./data/access-desk.db');
    expect(c.vendors.pam360.approvers).toEqual(['U0AAA', 'U0BBB']);
    expect(c.vendors.pam360.requiredApprovals).toBe(2);
    expect(c.vendors.pam360.remindAfterHours).toEqual([4, 24]);
    expect(c.vendors.pam360.allowSelfApproval).toBe(false);
    expect(c.vendors.pjm.enabled).toBe(false);
  });

  it('reads a secret from <NAME>_FILE, without the trailing newline', () => {
    const env = { ...base, PAM360_AUTH_TOKEN: undefined, PAM360_AUTH_TOKEN_FILE: '/run/secrets/pam' };
    const c = loadConfig(env, files({ '/run/secrets/pam': `${PAM_TOKEN}\n` }));
    expect(c.vendors.pam360.authToken).toBe(PAM_TOKEN);
  });

  it('refuses <NAME>_FILE for a setting that is not a secret', () => {
    const e = configError({ ...base, PAM360_BASE_URL_FILE: '/x' });
    expect(e.issues.map((i) => i.setting)).toContain('PAM360_BASE_URL_FILE');
  });

  it('reads a YAML config file, lets the environment override it, and names file keys in errors', () => {
    const yaml = [
      'vendors:',
      '  pam360:',
      '    roles: [Administrator, Password User]',
      '    requiredApprovals: 1',
      '    approvalChannel: "#general"',
    ].join('\n');
    const e = configError(
      { ...base, PAM360_APPROVAL_CHANNEL: undefined, ACCESS_DESK_CONFIG: '/etc/ad.yml' },
      files({ '/etc/ad.yml': yaml }),
    );
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.setting).toBe(
      'PAM360_APPROVAL_CHANNEL (vendors.pam360.approvalChannel in /etc/ad.yml)',
    );
    expect(e.issues[0]!.message).toMatch(/channel id/);

    const ok = loadConfig({ ...base, ACCESS_DESK_CONFIG: '/etc/ad.yml' }, files({ '/etc/ad.yml': yaml }));
    expect(ok.vendors.pam360.roles).toEqual(['Administrator', 'Password User']);
    expect(ok.vendors.pam360.approvalChannel).toBe('C0APPROVE');
  });

  it('reports a misspelt key in the config file', () => {
    const e = configError(
      { ...base, ACCESS_DESK_CONFIG: 'c.json' },
      files({ 'c.json': '{"vendors":{"pam360":{"rolez":[]}}}' }),
    );
    expect(e.issues).toEqual([
      expect.objectContaining({ setting: 'c.json: vendors.pam360.rolez', message: 'unknown setting' }),
    ]);
  });

  it('lists every problem at once, by setting name with a hint, and never a secret value', () => {
    const env: Env = {
      ...base,
      SLACK_APP_TOKEN: undefined,
      SLACK_MODE: 'websocket',
      PAM360_APPROVERS: 'alice',
      PAM360_BASE_URL: 'not a url',
      HEALTH_PORT: 'eighty',
    };
    const e = configError(env);
    const settings = e.issues.map((i) => i.setting);
    expect(settings).toEqual(
      expect.arrayContaining(['SLACK_MODE', 'PAM360_APPROVERS', 'PAM360_BASE_URL', 'HEALTH_PORT']),
    );
    expect(e.issues.find((i) => i.setting === 'SLACK_MODE')!.hint).toBe('one of socket, http');
    expect(e.issues.find((i) => i.setting === 'PAM360_APPROVERS')!.message).toMatch(/Slack user id/);
    for (const secretValue of [BOT, PAM_TOKEN]) expect(e.message).not.toContain(secretValue);
  });

  it('checks settings that depend on each other', () => {
    const e = configError({
      ...base,
      SLACK_APP_TOKEN: undefined,
      PAM360_AUTH_TOKEN: undefined,
      PAM360_REQUIRED_APPROVALS: '3',
      CERT_ENABLED: 'true',
      CERT_APPROVERS: 'U0CCC',
      CERT_TOKEN_FLOW: 'password',
    });
    expect(e.issues.map((i) => i.setting).sort()).toEqual(
      [
        'SLACK_APP_TOKEN',
        'PAM360_AUTH_TOKEN',
        'PAM360_REQUIRED_APPROVALS',
        'CERT_APPROVAL_CHANNEL',
        'CERT_BASE_URL',
        'CERT_TOKEN_URL',
        'CERT_CLIENT_ID',
        'CERT_CLIENT_SECRET',
        'CERT_USERNAME',
        'CERT_PASSWORD',
      ].sort(),
    );
  });

  it('says what a file value of the wrong type should have been, and what it was', () => {
    const yaml = ['worker:', '  concurrency: "four"', 'vendors:', '  pjm:', '    enabled: yes'].join('\n');
    const e = configError({ ...base, ACCESS_DESK_CONFIG: 'ad.yml' }, files({ 'ad.yml': yaml }));
    expect(e.issues).toEqual([
      expect.objectContaining({
        setting: 'WORKER_CONCURRENCY (worker.concurrency in ad.yml)',
        message: 'expected a number, got "four"',
      }),
      expect.objectContaining({
        setting: 'PJM_ENABLED (vendors.pjm.enabled in ad.yml)',
        message: 'expected true or false, got "yes"',
      }),
    ]);
  });

  it('reports schema errors and cross-setting errors in the same run', () => {
    const e = configError({
      ...base,
      HEALTH_PORT: 'eighty',
      PAM360_BASE_URL: 'not a url',
      PAM360_AUTH_TOKEN: undefined,
      SLACK_APP_TOKEN: undefined,
    });
    expect(e.issues.map((i) => i.setting).sort()).toEqual(
      ['HEALTH_PORT', 'PAM360_AUTH_TOKEN', 'PAM360_BASE_URL', 'SLACK_APP_TOKEN'].sort(),
    );
    expect(e.issues.find((i) => i.setting === 'PAM360_AUTH_TOKEN')!.message).toBe(
      'is required when PAM360_ENABLED is true',
    );
  });

  it('names every connection setting an enabled vendor needs (the adapters do not check again)', () => {
    const e = configError({
      ...base,
      PAM360_BASE_URL: undefined,
      PAM360_AUTH_TOKEN: undefined,
      PJM_ENABLED: 'true',
      PJM_APPROVAL_CHANNEL: 'C0PJM',
      PJM_APPROVERS: 'U0AAA',
      PJM_CLIENT_CERT_P12: '/etc/pjm.p12',
      CERT_ENABLED: 'true',
      CERT_APPROVAL_CHANNEL: 'C0CERT',
      CERT_APPROVERS: 'U0AAA',
      CERT_TOKEN_FLOW: 'password',
    });
    expect(e.issues.map((i) => i.setting)).toEqual([
      'PJM_SSO_USERNAME',
      'PJM_SSO_PASSWORD',
      'PJM_CLIENT_CERT_PASSPHRASE',
      'PAM360_BASE_URL',
      'PAM360_AUTH_TOKEN',
      'CERT_BASE_URL',
      'CERT_TOKEN_URL',
      'CERT_CLIENT_ID',
      'CERT_CLIENT_SECRET',
      'CERT_USERNAME',
      'CERT_PASSWORD',
    ]);
  });

  it('refuses to start with no vendor enabled', () => {
    const e = configError({ ACCESS_DESK_SECRET_KEY: SECRET_KEY, SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(e.issues[0]!.message).toBe('no vendor is enabled');
  });

  it('refuses a missing or malformed secret key, naming the setting and how to make one', () => {
    const missing = configError({ ...base, ACCESS_DESK_SECRET_KEY: undefined });
    expect(missing.issues).toEqual([
      expect.objectContaining({
        setting: 'ACCESS_DESK_SECRET_KEY',
        message: 'is required',
        hint: expect.stringContaining('openssl rand -base64 32'),
      }),
    ]);
    for (const bad of ['too-short', Buffer.alloc(16).toString('base64'), `${SECRET_KEY.slice(0, -1)}*`]) {
      const e = configError({ ...base, ACCESS_DESK_SECRET_KEY: bad });
      expect(e.issues).toEqual([
        expect.objectContaining({
          setting: 'ACCESS_DESK_SECRET_KEY',
          message: 'must be 32 random bytes in base64; make one with: openssl rand -base64 32',
        }),
      ]);
      expect(e.message).not.toContain(bad);
    }
  });

  it('reads the secret key from ACCESS_DESK_SECRET_KEY_FILE', () => {
    const env = {
      ...base,
      ACCESS_DESK_SECRET_KEY: undefined,
      ACCESS_DESK_SECRET_KEY_FILE: '/run/secrets/key',
    };
    expect(loadConfig(env, files({ '/run/secrets/key': `${SECRET_KEY}\n` })).store.secretKey).toBe(
      SECRET_KEY,
    );
  });

  it('maps every setting to a distinct environment variable', () => {
    const names = SETTINGS.map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('DATABASE_URL');
    expect(names).toContain('PJM_SSO_PASSWORD');
    expect(names).toContain('PAM360_CA_FILE');
  });
});

describe('README configuration reference', () => {
  it('is the one generated from the schema (run npm run config:reference after changing settings)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf(REFERENCE_BEGIN);
    const end = readme.indexOf(REFERENCE_END) + REFERENCE_END.length;
    expect(start).toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end)).toBe(renderConfigReference());
  });
});
