/**
 * PjmSettings → everything the client needs to connect, with environment defaults applied and the
 * certificate files read. A missing or unreadable setting is a ConfigError naming its env variable.
 */
import { readFileSync } from 'node:fs';
import type { PjmSettings } from '../../config/schema.ts';
import { ConfigError, type ConfigIssue } from '../../errors.ts';

/** Hosts and cookie per environment (vendor-apis.md §1.1). */
export const PJM_ENVIRONMENTS = {
  prod: {
    accountManagerUrl: 'https://accountmanager.pjm.com/accountmanager/',
    ssoUrl: 'https://sso.pjm.com',
    cookieName: 'pjmauth',
  },
  train: {
    accountManagerUrl: 'https://accountmanagertrain.pjm.com/accountmanager/',
    ssoUrl: 'https://ssotrain.pjm.com',
    cookieName: 'pjmauthtrain',
  },
} as const;

export interface PjmConnection {
  /** Always ends with '/', so relative paths resolve under /accountmanager/. */
  accountManagerUrl: string;
  /** Never ends with '/'. */
  ssoUrl: string;
  cookieName: string;
  username: string;
  password: string;
  ca?: Buffer;
  /** PKCS#12 client certificate; when set, sign-in uses /access/authenticate/pjmauthcert. */
  pfx?: Buffer;
  passphrase?: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

export type ReadFile = (path: string) => Buffer;

export function resolvePjmConnection(
  settings: PjmSettings,
  readFile: ReadFile = readFileSync,
): PjmConnection {
  const issues: ConfigIssue[] = [];
  const required = (value: string | undefined, setting: string): string => {
    if (!value) issues.push({ setting, message: 'is required when PJM is enabled' });
    return value ?? '';
  };
  const file = (path: string | undefined, setting: string): Buffer | undefined => {
    if (!path) return undefined;
    try {
      return readFile(path);
    } catch (e) {
      const code = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable';
      issues.push({ setting, message: `cannot read ${path} (${code})` });
      return undefined;
    }
  };
  const env = PJM_ENVIRONMENTS[settings.environment];
  const username = required(settings.ssoUsername, 'PJM_SSO_USERNAME');
  const password = required(settings.ssoPassword, 'PJM_SSO_PASSWORD');
  const ca = file(settings.caFile, 'PJM_CA_FILE');
  const pfx = file(settings.clientCertP12, 'PJM_CLIENT_CERT_P12');
  if (settings.clientCertP12 && !settings.clientCertPassphrase) {
    issues.push({
      setting: 'PJM_CLIENT_CERT_PASSPHRASE',
      message: 'is required when PJM_CLIENT_CERT_P12 is set',
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const am = settings.accountManagerUrl ?? env.accountManagerUrl;
  return {
    accountManagerUrl: am.endsWith('/') ? am : `${am}/`,
    ssoUrl: (settings.ssoUrl ?? env.ssoUrl).replace(/\/+$/, ''),
    cookieName: env.cookieName,
    username,
    password,
    ...(ca ? { ca } : {}),
    ...(pfx ? { pfx, passphrase: settings.clientCertPassphrase } : {}),
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
  };
}
