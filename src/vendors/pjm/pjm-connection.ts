/**
 * PjmSettings → everything the client needs to connect, with environment defaults applied and the
 * certificate files read and opened. A bad file is a ConfigError naming its env variable.
 */
import type { PjmSettings } from '../../config/schema.ts';
import { configured, type ReadFile, SettingFiles } from '../setting-files.ts';

export type { ReadFile };

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
  ca?: string;
  /** PKCS#12 client certificate; when set, sign-in uses /access/authenticate/pjmauthcert. */
  pfx?: Buffer;
  passphrase?: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** @throws ConfigError naming each unusable setting (certificate files are opened here, at start-up) */
export function resolvePjmConnection(settings: PjmSettings, readFile?: ReadFile): PjmConnection {
  const files = new SettingFiles(readFile);
  const ca = files.caBundle(settings.caFile, 'PJM_CA_FILE');
  const pfx = files.pkcs12(settings.clientCertP12, settings.clientCertPassphrase, 'PJM');
  files.throwIfAny();
  const env = PJM_ENVIRONMENTS[settings.environment];
  const am = settings.accountManagerUrl ?? env.accountManagerUrl;
  return {
    accountManagerUrl: am.endsWith('/') ? am : `${am}/`,
    ssoUrl: (settings.ssoUrl ?? env.ssoUrl).replace(/\/+$/, ''),
    cookieName: env.cookieName,
    username: configured(settings.ssoUsername, 'PJM_SSO_USERNAME'),
    password: configured(settings.ssoPassword, 'PJM_SSO_PASSWORD'),
    ...(ca ? { ca } : {}),
    ...(pfx ? { pfx, passphrase: settings.clientCertPassphrase } : {}),
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
  };
}
