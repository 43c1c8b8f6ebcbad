/** A requester submits a form: validate with the vendor's rules, store PENDING, queue the card and the pre-check. */
import { factsPatch } from '../domain/facts.ts';
import { payloadHash } from '../domain/payload-hash.ts';
import type { AccessRequest, VendorId } from '../domain/request.ts';
import type { FormValues } from '../vendors/provisioner.ts';
import { csvToFormValues } from './bulk-csv.ts';
import type { FlowDeps } from './deps.ts';
import { precheckJob, renderCardJob } from './jobs.ts';
import { vendorEntry } from './vendor-entry.ts';

/**
 * The longest typed passwords are held for a request that is never final (say one left needing
 * attention): after that the sweep deletes them and the create call refuses to go out without them.
 */
const HELD_PASSWORDS_MS = 30 * 24 * 3_600_000;

export interface SubmitInput {
  vendor: VendorId;
  requester: { userId: string; teamId: string };
  /** One user from the modal, or… */
  values?: FormValues;
  /** …many users as CSV text (vendors with parseBulk). */
  bulkCsv?: string;
  originChannel?: string;
}

/** @throws ValidationError (per field) — nothing is stored then */
export async function submitRequest(deps: FlowDeps, input: SubmitInput): Promise<AccessRequest> {
  const { provisioner } = vendorEntry(deps, input.vendor);
  const parsed =
    input.bulkCsv !== undefined && provisioner.parseBulk
      ? provisioner.parseBulk(csvToFormValues(provisioner.formFields(), input.bulkCsv))
      : provisioner.parseForm(input.values ?? {});
  // Typed passwords never rest in the payload: they are held sealed until the request is final.
  const { payload, passwords } = provisioner.passwords?.split(parsed) ?? { payload: parsed, passwords: {} };
  const now = deps.clock.now();
  const id = deps.newId();
  const req = await deps.store.createRequest(
    {
      id,
      vendor: input.vendor,
      requesterId: input.requester.userId,
      teamId: input.requester.teamId,
      payload,
      payloadHash: payloadHash(payload),
      facts: factsPatch(input.originChannel ? { originChannel: input.originChannel } : {}),
      ...(Object.keys(passwords).length > 0
        ? {
            heldPasswords: {
              value: JSON.stringify(passwords),
              expiresAt: new Date(now.getTime() + HELD_PASSWORDS_MS),
            },
          }
        : {}),
    },
    {
      actor: input.requester.userId,
      action: 'requested',
      detail: { subject: provisioner.describe(payload).subject },
    },
    [renderCardJob(id), precheckJob(id)],
    now,
  );
  deps.wake();
  return req;
}
