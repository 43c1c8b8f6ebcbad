/**
 * PAM360 behind the vendor-neutral Provisioner interface: form → INPUT_DATA payload → getUserId
 * precheck → one create call → outcome. Retries and idempotency live in the worker, which uses
 * precheck() and VendorError.requestSent (createPolicy 'precheck', vendor-apis.md §2.7).
 */
import type { Pam360Settings } from '../../config/schema.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import type { Clock } from '../../domain/clock.ts';
import type { Json, VendorId } from '../../domain/request.ts';
import { ValidationError, VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { VendorCallObserver } from '../http.ts';
import type {
  FormField,
  FormValues,
  LookupResult,
  PayloadDescription,
  PrecheckResult,
  Provisioner,
  SubmitOutcome,
  UserPasswords,
} from '../provisioner.ts';
import { configured, type ReadFile, SettingFiles } from '../setting-files.ts';
import { pam360ConnectionCheck } from './pam360-check.ts';
import { PAM360_VENDOR, Pam360Client } from './pam360-client.ts';
import { describePam360Payload, readPam360Payload } from './pam360-describe.ts';
import { pam360FormFields, parsePam360Form } from './pam360-form.ts';
import { pam360Passwords } from './pam360-passwords.ts';
import type { Pam360Payload } from './pam360-schemas.ts';

/** getUserId's Failed texts that prove absence; the real wording is not public (§2.5), so be broad. */
const NOT_FOUND = /not found|not exist|doesn'?t exist|no such user|no user|invalid user ?name/i;

export interface Pam360ProvisionerDeps {
  log: Logger;
  clock: Clock;
  onCall?: VendorCallObserver;
  readFile?: ReadFile;
}

/** @throws ConfigError when PAM360_CA_FILE cannot be read or is not a PEM bundle */
export function createPam360Provisioner(settings: Pam360Settings, deps: Pam360ProvisionerDeps): Provisioner {
  const files = new SettingFiles(deps.readFile);
  const ca = files.caBundle(settings.caFile, 'PAM360_CA_FILE');
  files.throwIfAny();
  const client = new Pam360Client({
    baseUrl: configured(settings.baseUrl, 'PAM360_BASE_URL'),
    authToken: configured(settings.authToken, 'PAM360_AUTH_TOKEN'),
    orgName: settings.orgName,
    ca,
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    log: deps.log,
    clock: deps.clock,
    onCall: deps.onCall,
  });
  return new Pam360Provisioner(settings, client, deps.clock);
}

/** Drop absent optional fields so the payload is plain JSON. */
function toJson({ operation, passwords }: Pam360Payload): Json {
  const details: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(operation.Details)) {
    if (value !== undefined) details[key] = value;
  }
  return { operation: { Details: details }, ...(passwords ? { passwords } : {}) };
}

export class Pam360Provisioner implements Provisioner {
  readonly id: VendorId = 'pam360';
  readonly displayName = 'PAM360';
  readonly createPolicy = 'precheck';
  readonly passwords: UserPasswords;
  readonly #settings: Pam360Settings;
  readonly #client: Pam360Client;
  readonly #clock: Clock;

  constructor(settings: Pam360Settings, client: Pam360Client, clock: Clock) {
    this.#settings = settings;
    this.#client = client;
    this.#clock = clock;
    this.passwords = pam360Passwords(settings.userPasswords);
  }

  formFields(): readonly FormField[] {
    return pam360FormFields(this.#settings);
  }

  parseForm(values: FormValues): Json {
    return toJson(parsePam360Form(values, this.#settings, this.#clock.now()));
  }

  describe(payload: Json): PayloadDescription {
    return describePam360Payload(payload);
  }

  async precheck(payload: Json, signal?: AbortSignal): Promise<PrecheckResult> {
    const { USERNAME } = readPam360Payload(payload).operation.Details;
    const res = await this.#client.getUserId(USERNAME, signal);
    if (res.found) {
      return { state: 'exists', notes: [`${USERNAME} already exists in PAM360 (USERID ${res.userId}).`] };
    }
    if (NOT_FOUND.test(res.message)) return { state: 'absent', notes: [] };
    return {
      state: 'unknown',
      notes: [`PAM360 could not say whether ${USERNAME} exists: ${res.message || 'no reason given'}`],
    };
  }

  async submit(payload: Json, signal?: AbortSignal): Promise<SubmitOutcome> {
    // The worker joins a normal user's password back in, which drops the `passwords` record.
    const { passwords: _handling, ...input } = readPam360Payload(payload);
    const { USERNAME, ISAPIUSER } = input.operation.Details;
    const res = await this.#client.createUser(input, signal);
    if (!res.ok) {
      return {
        kind: 'rejected',
        headline: `PAM360 did not create ${USERNAME}`,
        messages: [res.message || 'PAM360 gave no reason.'],
      };
    }
    const lines = res.message ? [res.message] : [];
    if (res.authToken) {
      lines.push('The new API user’s AUTHTOKEN goes to the requester privately.');
    } else if (ISAPIUSER) {
      lines.push('PAM360 returned no AUTHTOKEN: generate one for this API user in PAM360.');
    }
    return {
      kind: 'done',
      label: 'Created in PAM360',
      headline: res.userId ? `USERID ${res.userId}` : 'PAM360 returned no USERID',
      lines,
      ...(res.authToken ? { secret: { label: 'AUTHTOKEN', value: res.authToken } } : {}),
    };
  }

  async lookup(query: string, signal?: AbortSignal): Promise<LookupResult> {
    const username = query.trim();
    if (!username || /\s/.test(username)) {
      throw new ValidationError({ query: 'Give one PAM360 username, e.g. /lookup pam360 jsmith' });
    }
    const res = await this.#client.getUserId(username, signal);
    if (res.found) {
      return { users: [{ title: username, lines: [{ label: 'USERID', value: res.userId }] }] };
    }
    if (NOT_FOUND.test(res.message)) return { users: [] };
    throw new VendorError({
      vendor: PAM360_VENDOR,
      kind: 'unknown',
      message: 'PAM360 get user id: Failed without saying the user is absent',
      vendorMessages: res.message ? [res.message] : [],
    });
  }

  checkConnection(signal?: AbortSignal): Promise<CheckResult[]> {
    return pam360ConnectionCheck(this.#client, signal);
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}
