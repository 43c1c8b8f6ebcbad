/**
 * loadConfig(env, readFile) → Config, or ConfigError listing EVERY bad setting by the name the
 * operator used (environment variable, or key in the config file), with a hint — never a value.
 *
 * Sources, later wins: the config file (YAML or JSON, path in ACCESS_DESK_CONFIG), then environment
 * variables, then `<NAME>_FILE` for secrets (a file holding the value, as Kubernetes mounts them).
 */
import { createRequire } from 'node:module';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { type Config, configSchema } from './schema.ts';
import { leafForPath, SETTINGS, type SettingLeaf } from './settings-catalog.ts';

export const CONFIG_FILE_ENV = 'ACCESS_DESK_CONFIG';

const requireModule = createRequire(import.meta.url);

/**
 * JSON as it is; anything else through yaml, loaded only then: importing it is ~40 ms of a
 * start-up that a JSON file (or no file) need not pay.
 */
function parseConfigText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const yaml = requireModule('yaml') as typeof import('yaml');
    return yaml.parse(text);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;
export type ReadFile = (path: string) => string;

type Tree = Record<string, unknown>;

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

function coerce(leaf: SettingLeaf, raw: string): { value: unknown } | { error: string } {
  const text = raw.trim();
  switch (leaf.kind) {
    case 'number': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? { value: n } : { error: 'must be a number' };
    }
    case 'boolean': {
      const b = BOOLEAN_WORDS[text.toLowerCase()];
      return b === undefined ? { error: 'must be true or false' } : { value: b };
    }
    case 'string-list':
      return { value: splitList(text) };
    case 'number-list': {
      const items = splitList(text).map(Number);
      return items.every(Number.isFinite) ? { value: items } : { error: 'must be comma-separated numbers' };
    }
    default:
      return { value: text };
  }
}

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

/** Keys in the config file that no setting has (a misspelt key would otherwise be ignored). */
function unknownFileKeys(tree: unknown, path: string[] = []): string[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [];
  return Object.entries(tree).flatMap(([key, value]) => {
    const p = [...path, key];
    const isLeaf = SETTINGS.some((s) => s.path.join('.') === p.join('.'));
    const isBranch = SETTINGS.some((s) => s.path.join('.').startsWith(`${p.join('.')}.`));
    if (isLeaf) return [];
    if (isBranch) return unknownFileKeys(value, p);
    return [p.join('.')];
  });
}

function readConfigFile(env: Env, readFile: ReadFile, issues: ConfigIssue[]): Tree {
  const file = env[CONFIG_FILE_ENV];
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = parseConfigText(readFile(file));
  } catch (e) {
    const reason =
      e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'file not found' : 'not valid YAML or JSON';
    issues.push({ setting: CONFIG_FILE_ENV, message: `cannot read ${file}: ${reason}` });
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    issues.push({ setting: CONFIG_FILE_ENV, message: `${file} must hold a mapping of settings` });
    return {};
  }
  for (const key of unknownFileKeys(parsed)) {
    issues.push({
      setting: `${file}: ${key}`,
      message: 'unknown setting',
      hint: 'see the configuration reference in README.md',
    });
  }
  return structuredClone(parsed) as Tree;
}

function applyEnvironment(tree: Tree, env: Env, readFile: ReadFile, issues: ConfigIssue[]): void {
  for (const leaf of SETTINGS) {
    const fileVar = `${leaf.env}_FILE`;
    let raw = env[leaf.env];
    let source = leaf.env;
    if (env[fileVar] !== undefined) {
      if (!leaf.secret) {
        issues.push({
          setting: fileVar,
          message: 'only secrets can be read from a file',
          hint: `set ${leaf.env} instead`,
        });
        continue;
      }
      try {
        raw = readFile(env[fileVar]!).replace(/\r?\n$/, '');
        source = fileVar;
      } catch {
        issues.push({ setting: fileVar, message: `cannot read the file ${env[fileVar]}` });
        continue;
      }
    }
    if (raw === undefined || (raw === '' && !leaf.required)) continue;
    const result = coerce(leaf, raw);
    if ('error' in result) issues.push({ setting: source, message: result.error });
    else setPath(tree, leaf.path, result.value);
  }
}

function settingName(path: readonly PropertyKey[], fileTree: Tree, env: Env): string {
  const leaf = leafForPath(path);
  if (!leaf) return path.join('.') || '(configuration)';
  const fromFile = leaf.path.reduce<unknown>(
    (n, k) => (n && typeof n === 'object' ? (n as Tree)[k] : undefined),
    fileTree,
  );
  if (env[leaf.env] === undefined && env[`${leaf.env}_FILE`] === undefined && fromFile !== undefined) {
    return `${leaf.env} (${leaf.path.join('.')} in ${env[CONFIG_FILE_ENV]})`;
  }
  return leaf.env;
}

function hintFor(path: readonly PropertyKey[]): string | undefined {
  const leaf = leafForPath(path);
  if (!leaf) return undefined;
  if (leaf.kind === 'enum') return `one of ${leaf.enumValues.join(', ')}`;
  return leaf.description || undefined;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  string: 'text',
  array: 'a list',
  object: 'a mapping',
};

/** zod's words for a wrong value, in the operator's: what was expected and what the file gave. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  if (issue.input === undefined) return 'is required';
  const expected = EXPECTED[issue.expected] ?? issue.expected;
  return `expected ${expected}, got ${JSON.stringify(issue.input)}`;
}

const getPath = (tree: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Tree)[k as string] : undefined), tree);

function deletePath(tree: Tree, path: readonly PropertyKey[]): void {
  const parent = getPath(tree, path.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Tree)[path[path.length - 1] as string];
}

/** The part of the configuration that crossChecks reads; every leaf has a default or is optional. */
const crossCheckSchema = configSchema.pick({ vendors: true }).extend({
  slack: configSchema.shape.slack.pick({ mode: true, appToken: true, signingSecret: true }),
});
type CrossCheckInput = z.infer<typeof crossCheckSchema>;

/**
 * With schema errors there is no Config, yet the cross-setting rules should still be reported in
 * the same run: drop the bad leaves (their error is already listed) and check what remains.
 */
function crossChecksDespite(tree: Tree, issues: readonly z.core.$ZodIssue[], reported: Set<string>) {
  const rest = structuredClone(tree);
  for (const issue of issues) deletePath(rest, leafForPath(issue.path)?.path ?? issue.path);
  const parsed = crossCheckSchema.safeParse(rest);
  if (!parsed.success) return [];
  return crossChecks(parsed.data).filter((i) => !reported.has(i.setting));
}

export function loadConfig(env: Env, readFile: ReadFile): Config {
  const issues: ConfigIssue[] = [];
  const fileTree = readConfigFile(env, readFile, issues);
  const tree = structuredClone(fileTree);
  applyEnvironment(tree, env, readFile, issues);
  for (const section of ['slack', 'store', 'worker', 'log', 'health', 'shutdown', 'vendors'])
    tree[section] ??= {};
  const vendors = tree.vendors as Tree;
  for (const v of ['pjm', 'pam360', 'cert']) vendors[v] ??= {};

  // reportInput: zod 4 leaves the offending value out of issues unless asked.
  const parsed = configSchema.safeParse(tree, { reportInput: true });
  if (parsed.success) {
    issues.push(...crossChecks(parsed.data));
    if (issues.length > 0) throw new ConfigError(issues);
    return parsed.data;
  }
  const reported = new Set<string>(issues.map((i) => i.setting));
  for (const issue of parsed.error.issues) {
    const hint = hintFor(issue.path);
    const setting = settingName(issue.path, fileTree, env);
    reported.add(leafForPath(issue.path)?.env ?? setting);
    issues.push({ setting, message: issueMessage(issue), ...(hint ? { hint } : {}) });
  }
  issues.push(...crossChecksDespite(tree, parsed.error.issues, reported));
  throw new ConfigError(issues);
}

const required = (env: string, present: unknown, why: string): ConfigIssue[] =>
  present ? [] : [{ setting: env, message: `is required ${why}` }];

/** Rules that span several settings. */
function crossChecks(c: CrossCheckInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (c.slack.mode === 'socket')
    issues.push(...required('SLACK_APP_TOKEN', c.slack.appToken, 'in Socket Mode'));
  if (c.slack.mode === 'http')
    issues.push(...required('SLACK_SIGNING_SECRET', c.slack.signingSecret, 'in HTTP mode'));
  const { pjm, pam360, cert } = c.vendors;
  const enabled = (
    [
      ['PJM', pjm],
      ['PAM360', pam360],
      ['CERT', cert],
    ] as const
  ).filter(([, v]) => v.enabled);
  if (enabled.length === 0) {
    issues.push({
      setting: 'PJM_ENABLED, PAM360_ENABLED, CERT_ENABLED',
      message: 'no vendor is enabled',
      hint: 'enable at least one and give its approval channel and approvers',
    });
  }
  for (const [prefix, v] of enabled) {
    const why = `when ${prefix}_ENABLED is true`;
    issues.push(...required(`${prefix}_APPROVAL_CHANNEL`, v.approvalChannel, why));
    if (v.approvers.length === 0 && v.approverGroups.length === 0) {
      issues.push({
        setting: `${prefix}_APPROVERS`,
        message: `give approvers or ${prefix}_APPROVER_GROUPS ${why}`,
      });
    } else if (v.approverGroups.length === 0 && v.approvers.length < v.requiredApprovals) {
      issues.push({
        setting: `${prefix}_REQUIRED_APPROVALS`,
        message: `needs ${v.requiredApprovals} approvals but only ${v.approvers.length} approvers are configured`,
      });
    }
  }
  if (pjm.enabled) {
    issues.push(...required('PJM_SSO_USERNAME', pjm.ssoUsername, 'when PJM_ENABLED is true'));
    issues.push(...required('PJM_SSO_PASSWORD', pjm.ssoPassword, 'when PJM_ENABLED is true'));
    if (pjm.clientCertP12)
      issues.push(
        ...required('PJM_CLIENT_CERT_PASSPHRASE', pjm.clientCertPassphrase, 'with PJM_CLIENT_CERT_P12'),
      );
  }
  if (pam360.enabled) {
    issues.push(...required('PAM360_BASE_URL', pam360.baseUrl, 'when PAM360_ENABLED is true'));
    issues.push(...required('PAM360_AUTH_TOKEN', pam360.authToken, 'when PAM360_ENABLED is true'));
  }
  if (cert.enabled) {
    for (const [env, value] of [
      ['CERT_BASE_URL', cert.baseUrl],
      ['CERT_TOKEN_URL', cert.tokenUrl],
      ['CERT_CLIENT_ID', cert.clientId],
      ['CERT_CLIENT_SECRET', cert.clientSecret],
    ] as const) {
      issues.push(...required(env, value, 'when CERT_ENABLED is true'));
    }
    if (cert.tokenFlow === 'password') {
      issues.push(...required('CERT_USERNAME', cert.username, 'with CERT_TOKEN_FLOW=password'));
      issues.push(...required('CERT_PASSWORD', cert.password, 'with CERT_TOKEN_FLOW=password'));
    }
  }
  return issues;
}
