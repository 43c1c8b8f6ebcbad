/**
 * Provisioner adapter for Certification "Create Users". The stored payload is `{ users: [...] }`
 * (certPayloadSchema): one user from the modal, many from a CSV bulk request; the program admin role
 * is stored as `programAdminRoleId` and renamed on the wire per settings.programAdminField.
 * There is no read endpoint, so no lookup, and precheck cannot tell; the vendor refuses duplicates
 * per user, which makes re-sending safe (createPolicy 'resubmit').
 */
import type { CertSettings } from '../../config/schema.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import type { Clock } from '../../domain/clock.ts';
import type { Json } from '../../domain/request.ts';
import { ValidationError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { VendorCallObserver } from '../http.ts';
import type {
  FormField,
  FormValues,
  ItemResult,
  PayloadDescription,
  PrecheckResult,
  Provisioner,
  SubmitAttempt,
  SubmitOutcome,
  UserPasswords,
} from '../provisioner.ts';
import { configured } from '../setting-files.ts';
import { handlingOf } from '../user-passwords.ts';
import { certConnectionCheck } from './certification-check.ts';
import { CertClient } from './certification-client.ts';
import { describeCertPayload, readCertPayload } from './certification-describe.ts';
import { certFormFields, parseCertForm } from './certification-form.ts';
import { certOutcome, certOutcomeOf } from './certification-outcome.ts';
import { certPasswords } from './certification-passwords.ts';
import { type CertStoredUser, MAX_USERS_PER_REQUEST } from './certification-schemas.ts';

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

/** Certification behind the vendor-neutral Provisioner interface (the same shape as PJM and PAM360). */
export class CertProvisioner implements Provisioner {
  readonly id = 'cert';
  readonly displayName = 'Certification';
  readonly createPolicy = 'resubmit';
  readonly passwords: UserPasswords;
  readonly #settings: CertSettings;
  readonly #client: CertClient;

  constructor(settings: CertSettings, client: CertClient) {
    this.#settings = settings;
    this.#client = client;
    this.passwords = certPasswords(settings.userPasswords);
  }

  formFields(): readonly FormField[] {
    return certFormFields(this.#settings);
  }

  parseForm(values: FormValues): Json {
    return toJson(parseCertForm(values, this.#settings));
  }

  parseBulk(rows: readonly FormValues[]): Json {
    const users: CertStoredUser[] = [];
    const fields: Record<string, string> = {};
    rows.forEach((row, i) => {
      try {
        users.push(...parseCertForm(row, this.#settings).users);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        for (const [field, message] of Object.entries(e.fields)) fields[`row ${i + 2}: ${field}`] = message;
      }
    });
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    return toJson({ users, passwords: handlingOf(this.#settings.userPasswords) });
  }

  /** One create call per MAX_USERS_PER_REQUEST users, so each call's results are kept as it returns. */
  parts(payload: Json): Json[] {
    const { users, passwords } = readCertPayload(payload);
    const out: Json[] = [];
    for (let start = 0; start < users.length; start += MAX_USERS_PER_REQUEST) {
      out.push(toJson({ users: users.slice(start, start + MAX_USERS_PER_REQUEST), passwords }));
    }
    return out;
  }

  outcomeOf(items: readonly ItemResult[]): SubmitOutcome {
    return certOutcomeOf(items);
  }

  describe(payload: Json): PayloadDescription {
    return describeCertPayload(payload);
  }

  async precheck(payload: Json): Promise<PrecheckResult> {
    readCertPayload(payload);
    return {
      state: 'unknown',
      notes: [
        'Certification has no user lookup; it refuses a duplicate user name or e-mail per user, so nothing is created twice.',
      ],
    };
  }

  /** On a re-send (the stored ambiguousSubmit fact), a duplicate refusal reads "verify manually". */
  async submit(payload: Json, signal?: AbortSignal, attempt?: SubmitAttempt): Promise<SubmitOutcome> {
    const { users } = readCertPayload(payload);
    const result = await this.#client.createUsers(users, signal);
    return certOutcome(users, result, attempt?.resend ?? false);
  }

  checkConnection(signal?: AbortSignal): Promise<CheckResult[]> {
    return certConnectionCheck(this.#settings, this.#client, signal);
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}

/** @throws ConfigError naming a connection setting load-config would have required */
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
  return new CertProvisioner(settings, client);
}
