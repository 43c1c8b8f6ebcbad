/** Certification's connection check: an OAuth2 token, then one authenticated call that creates no one. */
import type { CertSettings } from '../../config/schema.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import { checkStep } from '../connection-check.ts';
import type { CertClient } from './certification-client.ts';

export async function certConnectionCheck(
  settings: CertSettings,
  client: CertClient,
  signal?: AbortSignal,
): Promise<CheckResult[]> {
  const secret = settings.tokenFlow === 'password' ? 'CERT_PASSWORD' : 'CERT_CLIENT_SECRET';
  const token = await checkStep(
    `Certification token (${settings.tokenFlow})`,
    async () => {
      await client.checkToken(signal);
      return 'the token endpoint issued an access token';
    },
    (e) =>
      e.kind === 'auth'
        ? `${secret}: the secret of CERT_CLIENT_ID${settings.tokenFlow === 'password' ? ' and CERT_USERNAME' : ''} (check CERT_SCOPE too)`
        : 'CERT_TOKEN_URL: the OAuth2 token endpoint reachable from here',
  );
  if (!token.ok) return [token];
  const call = await checkStep(
    'Certification authenticated call',
    async () => `POST /users with an empty batch reached the API (HTTP ${await client.checkAccess(signal)})`,
    (e) =>
      e.kind === 'auth'
        ? 'CERT_SCOPE: a scope that grants this API (WSO2 grants an unknown one as "default")'
        : 'CERT_BASE_URL: the API base path reachable from here (/users is appended)',
  );
  return [token, call];
}
