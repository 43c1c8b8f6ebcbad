/**
 * PJM Account Manager behind the vendor-neutral Provisioner interface. Each precheck/submit/lookup
 * is one PJM session: signed in on first use, signed out at the end. No retry of the create call
 * here — the worker decides, from precheck() and VendorError.requestSent.
 */
import type { PjmSettings } from '../../config/schema.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import type { Json } from '../../domain/request.ts';
import type {
  FormField,
  FormValues,
  LookupResult,
  PayloadDescription,
  PrecheckResult,
  Provisioner,
  SubmitOutcome,
} from '../provisioner.ts';
import type { PjmDeps } from './pjm-call.ts';
import { pjmConnectionCheck } from './pjm-check.ts';
import { PjmClient, type PjmSession } from './pjm-client.ts';
import { type ReadFile, resolvePjmConnection } from './pjm-connection.ts';
import { describePjmPayload, readPjmPayload } from './pjm-describe.ts';
import { parsePjmForm, pjmFormFields, pjmPayloadToJson } from './pjm-form.ts';
import { pjmLookupQuery, pjmLookupResult, pjmPrecheck } from './pjm-lookup.ts';

/** PJM accepts a registration for CAM approval; it is not a created user yet (vendor-apis.md §1.3). */
/** PJM only registers: the account exists once the Company Account Manager approves it. */
export const PJM_DONE_LABEL = "Submitted — pending your Company Account Manager's approval";
export const PJM_DONE_HEADLINE = 'PJM accepted the registration';
export const PJM_REJECTED_HEADLINE = 'PJM refused the registration';

export class PjmProvisioner implements Provisioner {
  readonly id = 'pjm';
  readonly displayName = 'PJM Account Manager';
  readonly createPolicy = 'precheck';
  readonly #settings: PjmSettings;
  readonly #client: PjmClient;

  constructor(settings: PjmSettings, client: PjmClient) {
    this.#settings = settings;
    this.#client = client;
  }

  formFields(): readonly FormField[] {
    return pjmFormFields(this.#settings);
  }

  parseForm(values: FormValues): Json {
    return pjmPayloadToJson(parsePjmForm(this.#settings, values));
  }

  describe(payload: Json): PayloadDescription {
    return describePjmPayload(payload);
  }

  async precheck(payload: Json, signal?: AbortSignal): Promise<PrecheckResult> {
    const registration = readPjmPayload(payload);
    return this.#inSession((s) =>
      pjmPrecheck(s, registration, this.#settings.pendingVisibleInSearch, signal),
    );
  }

  async submit(payload: Json, signal?: AbortSignal): Promise<SubmitOutcome> {
    const registration = readPjmPayload(payload);
    const result = await this.#inSession((s) => s.register(registration, signal));
    return result.accepted
      ? { kind: 'done', label: PJM_DONE_LABEL, headline: PJM_DONE_HEADLINE, lines: result.messages }
      : { kind: 'rejected', headline: PJM_REJECTED_HEADLINE, messages: result.messages };
  }

  async lookup(query: string, signal?: AbortSignal): Promise<LookupResult> {
    const search = pjmLookupQuery(query);
    return this.#inSession(async (s) => pjmLookupResult(await s.searchUsers(search, signal)));
  }

  checkConnection(signal?: AbortSignal): Promise<CheckResult[]> {
    return pjmConnectionCheck(this.#settings, this.#client, signal);
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  async #inSession<T>(work: (session: PjmSession) => Promise<T>): Promise<T> {
    const session = this.#client.openSession();
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }
}

/**
 * @throws ConfigError naming each missing or unreadable setting (PJM_SSO_USERNAME, PJM_CA_FILE, …)
 */
export function createPjmProvisioner(
  settings: PjmSettings,
  deps: PjmDeps & { readFile?: ReadFile },
): Provisioner {
  const connection = resolvePjmConnection(settings, deps.readFile);
  return new PjmProvisioner(settings, new PjmClient(connection, deps));
}
