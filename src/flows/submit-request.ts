/** A requester submits a form: validate with the vendor's rules, store PENDING, queue the card and the pre-check. */
import { factsPatch } from '../domain/facts.ts';
import { payloadHash } from '../domain/payload-hash.ts';
import type { AccessRequest, VendorId } from '../domain/request.ts';
import type { FormValues } from '../vendors/provisioner.ts';
import { csvToFormValues } from './bulk-csv.ts';
import type { FlowDeps } from './deps.ts';
import { precheckJob, renderCardJob } from './jobs.ts';
import { vendorEntry } from './vendor-entry.ts';

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
  const payload =
    input.bulkCsv !== undefined && provisioner.parseBulk
      ? provisioner.parseBulk(csvToFormValues(provisioner.formFields(), input.bulkCsv))
      : provisioner.parseForm(input.values ?? {});
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
    },
    {
      actor: input.requester.userId,
      action: 'requested',
      detail: { subject: provisioner.describe(payload).subject },
    },
    [renderCardJob(id), precheckJob(id)],
    deps.clock.now(),
  );
  deps.wake();
  return req;
}
