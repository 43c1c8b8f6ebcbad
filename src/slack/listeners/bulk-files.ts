/**
 * Bulk requests from a CSV file: chosen in the bulk modal (file_input) or dropped in the DM with the
 * bot. Either way the file is read from Slack, checked row by row and previewed before anything is
 * stored; the request is made from the preview by reading the file again (a Slack file does not
 * change), so nothing half-checked is kept in between. Also `/newuser <vendor> template`.
 */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { readFacts } from '../../domain/facts.ts';
import { isVendorId, type SlackRef, type VendorId } from '../../domain/request.ts';
import { coerceError, ValidationError } from '../../errors.ts';
import { type BulkCheck, bulkVendorFor, checkBulkCsv, MAX_FILE_ROWS } from '../../flows/bulk-check.ts';
import { bulkErrorText } from '../../flows/bulk-csv.ts';
import { errorReportCsv, passwordsCsv } from '../../flows/bulk-report.ts';
import { templateCsv } from '../../flows/bulk-template.ts';
import { justificationField } from '../../flows/justification.ts';
import type { RevealedSecret } from '../../flows/reveal-secret.ts';
import { submitRequest } from '../../flows/submit-request.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { FormValues } from '../../vendors/provisioner.ts';
import { type DownloadedFile, FileRefusedError } from '../slack-files.ts';
import {
  type BulkPreview,
  bulkPreviewMetaSchema,
  readBulkButtonValue,
  renderBulkFileRefused,
  renderBulkNotSavedModal,
  renderBulkPreviewMessage,
  renderBulkPreviewModal,
  renderBulkRequestedMessage,
} from '../views/bulk-preview.ts';
import { errorReportComment, passwordsFileComment, templateComment } from '../views/file-comments.ts';
import { BLOCK, FIELD_ACTION } from '../views/ids.ts';
import { inputBlocks, readFormValues } from '../views/newuser-modal.ts';
import type { ListenerDeps } from './context.ts';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** The requester's most recent requests, searched for one made from the same file. */
const RECENT_REQUESTS = 50;

async function alreadyRequested(deps: ListenerDeps, userId: string, fileId: string): Promise<boolean> {
  const recent = await deps.store.listRequests({ requesterId: userId, limit: RECENT_REQUESTS });
  return recent.some((r) => readFacts(r.facts).bulkSource?.fileId === fileId);
}

interface CheckedFile {
  file: DownloadedFile;
  check: BulkCheck;
  preview: BulkPreview;
}

async function checkFile(deps: ListenerDeps, vendor: VendorId, fileId: string): Promise<CheckedFile> {
  const file = await deps.files.download(fileId);
  const { provisioner } = vendorEntry(deps, vendor);
  const check = checkBulkCsv(provisioner, file.text);
  return {
    file,
    check,
    preview: {
      vendorName: provisioner.displayName,
      fileName: file.name,
      total: check.total,
      good: check.good.length,
      badRows: check.badRows,
      faults: check.faults,
      vendorCanTell: provisioner.createPolicy === 'precheck',
    },
  };
}

function errorReport(c: CheckedFile) {
  return {
    filename: `errors-${c.file.name.replace(/\.[^.]*$/, '')}.csv`,
    title: `Error report for ${c.file.name}`,
    content: errorReportCsv(c.check),
    comment: errorReportComment(c.file.name, c.check.faults.length, c.check.badRows),
  };
}

function submitFile(
  deps: ListenerDeps,
  c: CheckedFile,
  vendor: VendorId,
  user: { id: string; team: string },
  justification: FormValues[string],
  channel?: string,
) {
  return submitRequest(deps, {
    vendor,
    requester: { userId: user.id, teamId: user.team },
    bulkFile: {
      rows: c.check.good.map((r) => r.values),
      source: { fileId: c.file.id, fileName: c.file.name, rows: c.check.total, dropped: c.check.badRows },
    },
    justification,
    ...(channel ? { originChannel: channel } : {}),
  });
}

/** The preview modal, asking "Why is this needed?" there (filled in with any earlier answer). */
function previewModal(
  deps: ListenerDeps,
  checked: CheckedFile,
  meta: { vendor: VendorId; file: string; channel?: string | undefined; dm?: SlackRef },
  justification: FormValues[string],
) {
  const field = justificationField(vendorEntry(deps, meta.vendor));
  return renderBulkPreviewModal(
    checked.preview,
    {
      vendor: meta.vendor,
      file: meta.file,
      ...(meta.channel ? { channel: meta.channel } : {}),
      ...(meta.dm ? { dm: meta.dm } : {}),
    },
    inputBlocks([field], { [field.id]: justification }),
  );
}

/** Words for a file that cannot be used at all, or null for an unexpected error. */
function fileProblem(e: unknown): string | null {
  if (e instanceof FileRefusedError) return e.reason;
  if (e instanceof ValidationError) return bulkErrorText(e);
  return null;
}

/** The bulk modal was submitted with a file: preview it in place (the modal stays open). */
export async function previewChosenFile(
  deps: ListenerDeps,
  args: ViewArgs,
  meta: { vendor: VendorId; channel?: string | undefined; justification: FormValues[string] },
  fileId: string,
): Promise<void> {
  const { ack, body } = args;
  let checked: CheckedFile;
  try {
    checked = await checkFile(deps, meta.vendor, fileId);
  } catch (e) {
    const problem = fileProblem(e);
    if (problem === null) throw e;
    await ack({ response_action: 'errors', errors: { [BLOCK.bulkFile]: problem } });
    return;
  }
  await ack({
    response_action: 'update',
    view: previewModal(
      deps,
      checked,
      { vendor: meta.vendor, file: fileId, channel: meta.channel },
      meta.justification,
    ),
  });
  deps.log.info(
    { user: body.user.id, rows: checked.check.total, faults: checked.check.faults.length },
    'bulk file previewed',
  );
  if (checked.check.faults.length > 0) {
    // After the ack: a failed upload cannot reach the modal any more, so it is logged; the preview
    // still lists the first problems.
    await deps.files
      .toPerson(body.user.id, errorReport(checked))
      .catch((e: unknown) => deps.log.warn({ err: coerceError(e) }, 'error report upload failed'));
  }
}

const dropStateSchema = z.object({
  [BLOCK.bulkDrop]: z
    .object({
      [FIELD_ACTION]: z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() }),
    })
    .optional(),
});

/** "Request N" on the preview modal. */
export function onBulkPreviewSubmit(deps: ListenerDeps) {
  return async (args: ViewArgs) => {
    const { ack, body, view } = args;
    const meta = bulkPreviewMetaSchema.parse(JSON.parse(view.private_metadata));
    if (!isVendorId(meta.vendor)) throw new Error('bulk preview without a known vendor');
    const drop =
      dropStateSchema
        .parse(view.state.values)
        [BLOCK.bulkDrop]?.[FIELD_ACTION].selected_options?.some((o) => o.value === 'drop') ?? false;
    const field = justificationField(vendorEntry(deps, meta.vendor));
    const justification = readFormValues([field], view.state.values)[field.id];
    try {
      const checked = await checkFile(deps, meta.vendor, meta.file);
      if (checked.check.badRows > 0 && !drop) {
        await ack({
          response_action: 'errors',
          errors: {
            [BLOCK.bulkDrop]: `Fix the ${checked.check.badRows} rows and upload the file again, or tick this to leave them out.`,
          },
        });
        return;
      }
      // One request per file: a second preview of the same file (two clicks, two modals) is refused.
      if (await alreadyRequested(deps, body.user.id, meta.file)) {
        await ack({
          response_action: 'update',
          view: renderBulkNotSavedModal('this file was already requested.'),
        });
        return;
      }
      const user = { id: body.user.id, team: body.user.team_id ?? body.team?.id ?? '' };
      await submitFile(deps, checked, meta.vendor, user, justification, meta.channel ?? meta.dm?.channel);
      await ack();
      if (meta.dm) {
        const done = renderBulkRequestedMessage(
          checked.preview.vendorName,
          checked.check.good.length,
          checked.check.badRows,
        );
        await deps.gateway.update(meta.dm, done);
      }
    } catch (e) {
      const said = e instanceof ValidationError ? e.fields[field.id] : undefined;
      if (said !== undefined) {
        await ack({ response_action: 'errors', errors: { [field.id]: said } });
        return;
      }
      const problem = fileProblem(e);
      if (problem === null) deps.log.error({ err: coerceError(e) }, 'could not save a bulk request');
      await ack({
        response_action: 'update',
        view: renderBulkNotSavedModal(
          problem ?? 'the request could not be saved just now. Please try again.',
        ),
      });
    }
  };
}

const sharedFileSchema = z.object({
  channel: z.string(),
  channel_type: z.literal('im'),
  user: z.string(),
  subtype: z.literal('file_share'),
  files: z.array(z.object({ id: z.string(), name: z.string().optional() })).min(1),
});

/** A file dropped in the DM with the bot: the preview as a reply there, the error report in its thread. */
export function onFileShared(deps: ListenerDeps) {
  return async ({ event, body }: MessageArgs) => {
    // The bot's own uploads to the DM (template, reports) come back as events too: not for us.
    if ('bot_id' in event && event.bot_id) return;
    const shared = sharedFileSchema.safeParse(event);
    if (!shared.success) return;
    const { channel, user, files } = shared.data;
    const fileId = files[0]!.id;
    const name = files[0]!.name ?? 'the file';
    try {
      const { text } = await deps.files.download(fileId);
      const vendor = bulkVendorFor(deps.vendors, text);
      if (vendor === null) {
        await deps.gateway.post(
          channel,
          renderBulkFileRefused(
            name,
            'its header matches no bulk form. `/newuser cert template` sends a template to start from.',
          ),
        );
        return;
      }
      const checked = await checkFile(deps, vendor, fileId);
      const ref = await deps.gateway.post(channel, renderBulkPreviewMessage(checked.preview, vendor, fileId));
      deps.log.info(
        { user, team: body.team_id, rows: checked.check.total, faults: checked.check.faults.length },
        'bulk file previewed',
      );
      if (checked.check.faults.length > 0) await deps.files.toThread(ref, errorReport(checked));
    } catch (e) {
      const problem = fileProblem(e);
      if (problem === null) throw e;
      await deps.gateway.post(channel, renderBulkFileRefused(name, problem));
    }
  };
}

/** The DM preview's Request button: the same preview as a modal, where the requester says why and confirms. */
export function onBulkFileRequestClick(deps: ListenerDeps) {
  return async ({ ack, action, body, client, respond }: ButtonArgs) => {
    await ack();
    const { v, f } = readBulkButtonValue(action.value);
    if (!isVendorId(v)) return;
    const message = body.container.message_ts
      ? { channel: body.container.channel_id, ts: body.container.message_ts }
      : undefined;
    try {
      const checked = await checkFile(deps, v, f);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: previewModal(
          deps,
          checked,
          { vendor: v, file: f, ...(message ? { dm: message } : {}) },
          undefined,
        ),
      });
    } catch (e) {
      const problem = fileProblem(e);
      if (problem === null) throw e;
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: renderBulkFileRefused('The file', problem).text,
      });
    }
  };
}

/** `/newuser <vendor> template`: the template CSV in the person's DM, the column rules with it. */
export async function sendTemplate(deps: ListenerDeps, vendor: VendorId, userId: string): Promise<void> {
  const { provisioner } = vendorEntry(deps, vendor);
  const fields = provisioner.formFields();
  await deps.files.toPerson(userId, {
    filename: `${vendor}-bulk-template.csv`,
    title: `${provisioner.displayName} bulk template`,
    content: templateCsv(fields),
    comment: templateComment({ id: vendor, displayName: provisioner.displayName }, fields, MAX_FILE_ROWS),
  });
  deps.log.info({ user: userId, vendor }, 'bulk template sent');
}

/** Generated passwords of a batch too big for the Reveal modal: a CSV in the requester's own DM. */
export async function sendPasswordsFile(deps: ListenerDeps, secret: RevealedSecret): Promise<void> {
  await deps.files.toPerson(secret.actorId, {
    filename: `initial-passwords-${secret.requestId}.csv`,
    title: `Initial passwords for ${secret.subject}`,
    content: passwordsCsv(secret.value),
    comment: passwordsFileComment(secret.subject),
  });
}
