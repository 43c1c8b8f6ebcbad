/**
 * Modal submissions. These do their (fast, local) store write BEFORE acking, so a request that
 * cannot be saved keeps its modal open with an error instead of vanishing; vendor calls never run here.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isVendorId } from '../../domain/request.ts';
import { coerceError, ValidationError } from '../../errors.ts';
import { BULK_FIELD, bulkErrorText } from '../../flows/bulk-csv.ts';
import { decide } from '../../flows/decide.ts';
import { editRequest } from '../../flows/edit-request.ts';
import { formFieldsFor, JUSTIFICATION_FIELD } from '../../flows/justification.ts';
import { submitRequest } from '../../flows/submit-request.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import { denyMetadataSchema } from '../views/deny-reason-modal.ts';
import { BLOCK, FIELD_ACTION } from '../views/ids.ts';
import {
  newUserMetadataSchema,
  readBulkFileId,
  readFormValues,
  viewStateSchema,
} from '../views/newuser-modal.ts';
import { refusalFieldText } from '../views/refusal.ts';
import { previewChosenFile } from './bulk-files.ts';
import { actorFor, type ListenerDeps } from './context.ts';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function onNewUserSubmit(deps: ListenerDeps) {
  return async (args: ViewArgs) => {
    const { ack, body, view } = args;
    const meta = newUserMetadataSchema.parse(JSON.parse(view.private_metadata));
    if (!isVendorId(meta.vendor)) throw new Error('new-user modal without a known vendor');
    const fields = formFieldsFor(vendorEntry(deps, meta.vendor));
    const values = readFormValues(fields, view.state.values);
    const fileId = meta.bulk ? readBulkFileId(view.state.values) : null;
    if (fileId !== null) {
      const justification = values[JUSTIFICATION_FIELD];
      await previewChosenFile(
        deps,
        args,
        { vendor: meta.vendor, channel: meta.channel, justification },
        fileId,
      );
      return;
    }
    const input = meta.bulk
      ? {
          bulkCsv: viewStateSchema.parse(view.state.values)[BULK_FIELD]?.[FIELD_ACTION]?.value ?? '',
          justification: values[JUSTIFICATION_FIELD],
        }
      : { values };
    const requester = { userId: body.user.id, teamId: body.user.team_id ?? body.team?.id ?? '' };
    try {
      if (meta.edit) {
        const actor = await actorFor(deps, body.user, body.team?.id, meta.vendor);
        await editRequest(deps, { requestId: meta.edit, actor, values });
      } else {
        await submitRequest(deps, {
          vendor: meta.vendor,
          requester,
          ...input,
          ...(meta.channel ? { originChannel: meta.channel } : {}),
        });
      }
      await ack();
    } catch (e) {
      if (e instanceof ValidationError) {
        await ack({ response_action: 'errors', errors: meta.bulk ? bulkErrors(e) : { ...e.fields } });
        return;
      }
      const refusal = refusalFieldText(e);
      if (refusal !== null) {
        await ack({ response_action: 'errors', errors: { [fields[0]?.id ?? 'request']: refusal } });
        return;
      }
      deps.log.error({ err: coerceError(e) }, 'could not save a new request');
      const first = fields[0]?.id ?? 'request';
      await ack({
        response_action: 'errors',
        errors: { [first]: 'Could not save the request just now. Please submit again.' },
      });
    }
  };
}

/** The justification's error where it was typed; every CSV fault in the CSV field. */
function bulkErrors(e: ValidationError): Record<string, string> {
  const { [JUSTIFICATION_FIELD]: why, ...rows } = e.fields;
  return {
    ...(Object.keys(rows).length ? { [BULK_FIELD]: bulkErrorText(new ValidationError(rows)) } : {}),
    ...(why ? { [JUSTIFICATION_FIELD]: why } : {}),
  };
}

export function onDenyReasonSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs) => {
    const { r, h } = denyMetadataSchema.parse(JSON.parse(view.private_metadata));
    const reason =
      viewStateSchema.parse(view.state.values)[BLOCK.denyReason]?.[FIELD_ACTION]?.value?.trim() ?? '';
    if (!reason)
      return await ack({ response_action: 'errors', errors: { [BLOCK.denyReason]: 'Please say why.' } });
    try {
      const req = await deps.store.getRequest(r);
      const actor = await actorFor(deps, body.user, body.team?.id, req.vendor);
      await decide(deps, { requestId: r, actor, decision: 'deny', reason, payloadHash: h }, req);
      await ack();
    } catch (e) {
      const text = refusalFieldText(e);
      if (text === null) throw e;
      await ack({ response_action: 'errors', errors: { [BLOCK.denyReason]: text } });
    }
  };
}
