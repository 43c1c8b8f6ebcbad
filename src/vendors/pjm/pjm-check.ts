/** PJM's connection check: an SSO sign-in (over the PKCS#12 certificate when configured) and sign-out. */
import type { PjmSettings } from '../../config/schema.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import { checkStep, isTlsTrust } from '../connection-check.ts';
import type { PjmClient } from './pjm-client.ts';

export async function pjmConnectionCheck(
  settings: PjmSettings,
  client: PjmClient,
  signal?: AbortSignal,
): Promise<CheckResult[]> {
  const pki = settings.clientCertP12 !== undefined;
  return [
    await checkStep(
      `PJM SSO sign-in and sign-out${pki ? ' (client certificate)' : ''}`,
      async () => {
        await client.checkSignIn(signal);
        return `signed in as ${settings.ssoUsername ?? '?'} and out again`;
      },
      (e) => {
        if (isTlsTrust(e, 'PJM_CA_FILE'))
          return 'PJM_CA_FILE: the PEM of the CA that signed the PJM SSO certificate';
        if (e.kind === 'auth' && pki && e.message.includes('PJM_CLIENT_CERT_P12'))
          return 'PJM_CLIENT_CERT_P12: a PKCS#12 certificate your Company Account Manager has approved (and PJM_CLIENT_CERT_PASSPHRASE)';
        if (e.kind === 'auth')
          return 'PJM_SSO_PASSWORD: the password of PJM_SSO_USERNAME in this PJM_ENVIRONMENT (a wrong one counts toward lockout)';
        return 'PJM_SSO_URL: the PJM SSO host reachable from here (or leave it unset to use PJM_ENVIRONMENT’s)';
      },
    ),
  ];
}
