/** A requester submits a form: validate with the vendor's rules, store PENDING, queue the card and the pre-check. */
import { type BulkSource, factsPatch } from '../domain/facts.ts';
import { approvalHash } from '../domain/payload-hash.ts';
import type { AccessRequest, Json, VendorId } from '../domain/request.ts';
import { ValidationError } from '../errors.ts';
import type { NewRequest } from '../store/store.ts';
import type { FormValues } from '../vendors/provisioner.ts';
import { csvToFormValues } from './bulk-csv.ts';
import type { FlowDeps, VendorEntry } from './deps.ts';
import { precheckJob, renderCardJob } from './jobs.ts';
import { JUSTIFICATION_FIELD, readJustification } from './justification.ts';
import { vendorEntry } from './vendor-entry.ts';

/**
 * The longest typed passwords are held for a request that is never final (say one left needing
 * attention): after that the sweep deletes them and the create call refuses to go out without them.
 */
const HELD_PASSWORDS_MS = 30 * 24 * 3_600_000;

export interface SubmitInput {
  vendor: VendorId;
  requester: { userId: string; teamId: string };
  /** One user from the modal (the justification among them), or… */
  values?: FormValues;
  /** …many users as CSV text (vendors with parseBulk). */
  bulkCsv?: string;
  /** …or rows of a checked file (flows/bulk-check.ts), with what the card says about the file. */
  bulkFile?: { rows: readonly FormValues[]; source: BulkSource };
  /** The answer to "Why is this needed?" when it is not among `values` (bulk). */
  justification?: FormValues[string];
  originChannel?: string;
}

/** A validated form: what to store, and the typed passwords held apart from it. */
export interface ParsedRequest {
  payload: Json;
  payloadHash: string;
  justification: string;
  passwords: Record<string, string>;
  /** The modal's values without secrets or the justification (single-user forms only). */
  form: Record<string, string | string[]> | undefined;
}

/** Form values (or bulk CSV) and the justification, checked together. @throws ValidationError naming every bad field */
export function parseRequest(
  entry: VendorEntry,
  input: Omit<SubmitInput, 'vendor' | 'requester'>,
): ParsedRequest {
  const { provisioner } = entry;
  const errors: Record<string, string> = {};
  const collect = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      Object.assign(errors, e.fields);
      return undefined;
    }
  };
  const parsed = collect(() =>
    input.bulkFile && provisioner.parseBulk
      ? provisioner.parseBulk(input.bulkFile.rows)
      : input.bulkCsv !== undefined && provisioner.parseBulk
        ? provisioner.parseBulk(csvToFormValues(provisioner.formFields(), input.bulkCsv))
        : provisioner.parseForm(input.values ?? {}),
  );
  const justification = collect(() =>
    readJustification(entry.requireJustification, input.justification ?? input.values?.[JUSTIFICATION_FIELD]),
  );
  if (parsed === undefined || justification === undefined) throw new ValidationError(errors);
  // Typed passwords never rest in the payload: they are held sealed until the request is final.
  const { payload, passwords } = provisioner.passwords?.split(parsed) ?? { payload: parsed, passwords: {} };
  return {
    payload,
    payloadHash: approvalHash(payload, justification || undefined),
    justification,
    passwords,
    form:
      input.bulkCsv === undefined && input.bulkFile === undefined
        ? typedValues(entry, input.values ?? {})
        : undefined,
  };
}

function typedValues(entry: VendorEntry, values: FormValues): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const f of entry.provisioner.formFields()) {
    const v = values[f.id];
    if (f.kind === 'text' && f.secret) continue;
    if (typeof v === 'string') form[f.id] = v;
    else if (Array.isArray(v)) form[f.id] = [...(v as readonly string[])];
  }
  return form;
}

/** Typed passwords, sealed under the request for the create call; none when nobody typed one. */
export function heldPasswords(passwords: Record<string, string>, now: Date): NewRequest['heldPasswords'] {
  return Object.keys(passwords).length > 0
    ? { value: JSON.stringify(passwords), expiresAt: new Date(now.getTime() + HELD_PASSWORDS_MS) }
    : undefined;
}

/** @throws ValidationError (per field) — nothing is stored then */
export async function submitRequest(deps: FlowDeps, input: SubmitInput): Promise<AccessRequest> {
  const entry = vendorEntry(deps, input.vendor);
  const parsed = parseRequest(entry, input);
  const now = deps.clock.now();
  const id = deps.newId();
  const held = heldPasswords(parsed.passwords, now);
  const req = await deps.store.createRequest(
    {
      id,
      vendor: input.vendor,
      requesterId: input.requester.userId,
      teamId: input.requester.teamId,
      payload: parsed.payload,
      payloadHash: parsed.payloadHash,
      facts: factsPatch({
        ...(input.originChannel ? { originChannel: input.originChannel } : {}),
        ...(parsed.justification ? { justification: parsed.justification } : {}),
        ...(parsed.form ? { form: parsed.form } : {}),
        ...(input.bulkFile ? { bulkSource: input.bulkFile.source } : {}),
      }),
      ...(held ? { heldPasswords: held } : {}),
    },
    {
      actor: input.requester.userId,
      action: 'requested',
      detail: {
        subject: entry.provisioner.describe(parsed.payload).subject,
        ...(parsed.justification ? { justification: parsed.justification } : {}),
        ...(input.bulkFile ? { file: input.bulkFile.source } : {}),
      },
    },
    [renderCardJob(id), precheckJob(id)],
    now,
  );
  // After the caller's continuation: the modal's ack goes out before a woken slot claims a job.
  setImmediate(() => deps.wake());
  return req;
}
