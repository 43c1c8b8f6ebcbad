/**
 * Provisioner adapter for Certification "Create Users". The stored payload is `{ users: [...] }`
 * (certPayloadSchema): one user from the modal, many from a CSV bulk request; the program admin role
 * is stored as `programAdminRoleId` and renamed on the wire per settings.programAdminField.
 * There is no read endpoint, so no lookup, and precheck cannot tell; the vendor refuses duplicates
 * per user, which makes re-sending safe (createPolicy 'resubmit').
 */
import type { CertSettings } from '../../config/schema.ts';
import type { Clock } from '../../domain/clock.ts';
import { payloadHash } from '../../domain/payload-hash.ts';
import type { Json } from '../../domain/request.ts';
import { isVendorError, ValidationError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { VendorCallObserver } from '../http.ts';
import type { FormValues, PrecheckResult, Provisioner } from '../provisioner.ts';
import { configured } from '../setting-files.ts';
import { CertClient } from './certification-client.ts';
import { describeCertPayload, readCertPayload } from './certification-describe.ts';
import { certFormFields, parseCertForm } from './certification-form.ts';
import { certOutcome } from './certification-outcome.ts';
import type { CertUser } from './certification-schemas.ts';

/** Payloads whose last send ended ambiguously, remembered so a re-send's duplicates read "verify". */
const MAX_REMEMBERED_SENDS = 1000;

/** Drop undefined members so the payload is plain JSON (what the store keeps). */
function toJson(value: unknown): Json {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (Array.isArray(value)) return value.map(toJson);
  const out: { [key: string]: Json } = {};
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
  }
  return out;
}

export function createCertProvisioner(
  settings: CertSettings,
  deps: { log: Logger; clock: Clock; onCall?: VendorCallObserver },
): Provisioner {
  const client = new CertClient({
    baseUrl: configured(settings.baseUrl, 'CERT_BASE_URL'),
    tokenUrl: configured(settings.tokenUrl, 'CERT_TOKEN_URL'),
    clientId: configured(settings.clientId, 'CERT_CLIENT_ID'),
    clientSecret: configured(settings.clientSecret, 'CERT_CLIENT_SECRET'),
    tokenFlow: settings.tokenFlow,
    scope: settings.scope,
    username: settings.username,
    password: settings.password,
    programAdminField: settings.programAdminField,
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    log: deps.log,
    clock: deps.clock,
    onCall: deps.onCall,
  });
  const ambiguous = new Set<string>();
  return {
    id: 'cert',
    displayName: 'Certification',
    createPolicy: 'resubmit',
    formFields: () => certFormFields(settings),
    parseForm: (values: FormValues) => toJson(parseCertForm(values, settings)),
    parseBulk(rows: readonly FormValues[]) {
      const users: CertUser[] = [];
      const fields: Record<string, string> = {};
      rows.forEach((row, i) => {
        try {
          users.push(...parseCertForm(row, settings).users);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          for (const [field, message] of Object.entries(e.fields)) fields[`row ${i + 2}: ${field}`] = message;
        }
      });
      if (Object.keys(fields).length > 0) throw new ValidationError(fields);
      return toJson({ users });
    },
    describe: describeCertPayload,
    async precheck(payload: Json): Promise<PrecheckResult> {
      readCertPayload(payload);
      return {
        state: 'unknown',
        notes: [
          'Certification has no user lookup; it refuses a duplicate user name or e-mail per user, so nothing is created twice.',
        ],
      };
    },
    async submit(payload: Json, signal?: AbortSignal) {
      const { users } = readCertPayload(payload);
      const key = payloadHash(payload);
      try {
        const result = await client.createUsers(users, signal);
        const outcome = certOutcome(users, result, ambiguous.has(key));
        ambiguous.delete(key);
        return outcome;
      } catch (e) {
        // Provisioner.submit carries no attempt number, so only this process can tell a re-send.
        if (isVendorError(e) && e.requestSent) {
          if (ambiguous.size >= MAX_REMEMBERED_SENDS) ambiguous.clear();
          ambiguous.add(key);
        }
        throw e;
      }
    },
    close: () => client.close(),
  };
}
