/** PAM360's connection check: one authenticated read (getUserId of a name nobody has). */
import type { CheckResult } from '../../domain/check-result.ts';
import { checkStep, isTlsTrust } from '../connection-check.ts';
import type { Pam360Client } from './pam360-client.ts';

const PROBE_USERNAME = 'access-desk-doctor-probe';

export async function pam360ConnectionCheck(
  client: Pam360Client,
  signal?: AbortSignal,
): Promise<CheckResult[]> {
  return [
    await checkStep(
      'PAM360 authenticated read',
      async () => {
        const res = await client.getUserId(PROBE_USERNAME, signal);
        return `getUserId answered (${res.found ? 'found' : 'not found'}) with the API user's token`;
      },
      (e) => {
        if (isTlsTrust(e, 'PAM360_CA_FILE'))
          return 'PAM360_CA_FILE: the PEM of the CA that signed the PAM360 server certificate';
        if (e.kind === 'auth' && e.message.includes('PAM360_ORG_NAME'))
          return 'PAM360_ORG_NAME: the organisation display name exactly as PAM360 shows it';
        if (e.kind === 'auth')
          return 'PAM360_AUTH_TOKEN: the AUTHTOKEN of an active PAM360 API user allowed to manage users, bound to this host';
        return 'PAM360_BASE_URL: the PAM360 server URL reachable from here, e.g. https://pam360.example.com:8282';
      },
    ),
  ];
}
