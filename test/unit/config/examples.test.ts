/**
 * .env.example and config.example.yml are what an operator copies first, so they must stay true to
 * the schema: only real settings, every setting named, no secret values, and both load as they are.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_FILE_ENV, type Env, loadConfig } from '../../../src/config/load-config.ts';
import { SETTINGS } from '../../../src/config/settings-catalog.ts';

const ENV_EXAMPLE = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
const YAML_PATH = fileURLToPath(new URL('../../../config.example.yml', import.meta.url));

/** Made-up secrets: the examples leave every secret to the operator. */
const SECRETS: Env = {
  ACCESS_DESK_SECRET_KEY: 'q6mJ3kq1y1bX0kq3cH1rjH2o1k0cW8s0yJ0cQz3Wv9U=',
  SLACK_BOT_TOKEN: 'xoxb-example-bot-token',
  SLACK_APP_TOKEN: 'xapp-example-app-token',
  PAM360_AUTH_TOKEN: 'EXAMPLE-PAM360-AUTHTOKEN',
};
const MORE_SECRETS: Env = {
  PJM_SSO_PASSWORD: 'example-pjm-password',
  PJM_CLIENT_CERT_PASSPHRASE: 'example-p12-passphrase',
  CERT_CLIENT_SECRET: 'example-client-secret',
  CERT_PASSWORD: 'example-api-key',
};

const readText = (path: string) => readFileSync(path, 'utf8');
const noFiles = (path: string): string => {
  throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
};

interface Assignment {
  name: string;
  value: string;
  /** False for a commented-out `# NAME=value` line. */
  active: boolean;
}

/** `NAME=value` and `# NAME=value` lines; prose comments do not start with an upper-case name. */
function assignments(text: string): Assignment[] {
  return text.split('\n').flatMap((line) => {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    return m ? [{ name: m[2]!, value: m[3]!.trim(), active: m[1] === undefined }] : [];
  });
}

const SECRET_ENV = new Set(SETTINGS.filter((s) => s.secret).map((s) => s.env));
const KNOWN_NAMES = new Set([
  ...SETTINGS.map((s) => s.env),
  ...[...SECRET_ENV].map((env) => `${env}_FILE`),
  CONFIG_FILE_ENV,
]);

function valueAt(tree: unknown, path: readonly string[]): unknown {
  let node = tree;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = Object.entries(node).find(([k]) => k === key)?.[1];
  }
  return node;
}

describe('.env.example', () => {
  const lines = assignments(ENV_EXAMPLE);

  it('names only real settings (or their _FILE form, or the config file variable)', () => {
    expect(lines.length).toBeGreaterThan(SETTINGS.length / 2);
    expect(lines.map((l) => l.name).filter((n) => !KNOWN_NAMES.has(n))).toEqual([]);
  });

  it('names every setting, each once', () => {
    const names = lines.map((l) => l.name);
    expect(SETTINGS.map((s) => s.env).filter((env) => !names.includes(env))).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('leaves every secret empty', () => {
    const filled = lines.filter((l) => SECRET_ENV.has(l.name) && l.value !== '');
    expect(filled.map((l) => l.name)).toEqual([]);
  });

  it('loads as Node reads it (--env-file) once the secrets are given: Socket Mode, PAM360 on', () => {
    const config = loadConfig({ ...parseEnv(ENV_EXAMPLE), ...SECRETS }, noFiles);
    expect(config.slack.mode).toBe('socket');
    expect(config.store.databaseUrl).toBeUndefined();
    expect(config.vendors.pam360.enabled).toBe(true);
    expect(config.vendors.pam360.roles).toEqual(['Password User', 'Password Administrator']);
    expect([config.vendors.pjm.enabled, config.vendors.cert.enabled]).toEqual([false, false]);
  });

  it('holds valid example values on its commented lines too, with every vendor switched on', () => {
    const all: Record<string, string> = {};
    for (const l of lines) if (l.name !== CONFIG_FILE_ENV) all[l.name] = l.value;
    const env = { ...all, ...SECRETS, ...MORE_SECRETS, PJM_ENABLED: 'true', CERT_ENABLED: 'true' };
    const config = loadConfig(env, noFiles);
    expect(config.vendors.pjm.accountAccess).toContain('Power Meter Read/Write');
    expect(config.vendors.cert.roles.length).toBeGreaterThan(0);
    expect(config.slack.teamId).toMatch(/^T/);
  });
});

describe('config.example.yml', () => {
  const fromYaml = (extra: Env = {}) =>
    loadConfig({ [CONFIG_FILE_ENV]: YAML_PATH, ...SECRETS, ...extra }, readText);

  it('loads through loadConfig with the secrets from the environment', () => {
    const config = fromYaml();
    expect(config.vendors.pam360.enabled).toBe(true);
    expect(config.vendors.pam360.roles).toEqual(['Password User', 'Password Administrator']);
    expect(config.vendors.pjm.accountAccess.length).toBeGreaterThan(0);
    expect(config.vendors.pjm.employers.length).toBeGreaterThan(0);
  });

  it('offers Certification roles as Type:Value', () => {
    const { roles } = fromYaml().vendors.cert;
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) expect(role).toMatch(/^[A-Za-z]+:[A-Za-z]+$/);
  });

  it('lets every vendor be switched on by its secrets alone', () => {
    const config = fromYaml({
      ...MORE_SECRETS,
      PJM_ENABLED: 'true',
      CERT_ENABLED: 'true',
    });
    expect([config.vendors.pjm, config.vendors.pam360, config.vendors.cert].map((v) => v.enabled)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('holds no secret', () => {
    const tree: unknown = parseYaml(readText(YAML_PATH));
    const present = SETTINGS.filter((s) => s.secret && valueAt(tree, s.path) !== undefined);
    expect(present.map((s) => s.path.join('.'))).toEqual([]);
  });

  it('describes the same deployment as .env.example', () => {
    const yaml = fromYaml();
    const env = loadConfig({ ...parseEnv(ENV_EXAMPLE), ...SECRETS }, noFiles);
    const shared = (c: typeof env) => ({
      slack: c.slack,
      store: c.store,
      worker: c.worker,
      log: c.log,
      health: c.health,
      pam360: c.vendors.pam360,
      enabled: [c.vendors.pjm.enabled, c.vendors.cert.enabled],
    });
    expect(shared(yaml)).toEqual(shared(env));
  });
});
