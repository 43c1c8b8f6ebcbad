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
import { isVendorId, type VendorId } from '../../domain/request.ts';
import { coerceError, ValidationError } from '../../errors.ts';
import { type BulkCheck, bulkVendorFor, checkBulkCsv, MAX_FILE_ROWS } from '../../flows/bulk-check.ts';
import { bulkErrorText } from '../../flows/bulk-csv.ts';
import { errorReportCsv, passwordsCsv } from '../../flows/bulk-report.ts';
import { templateCsv } from '../../flows/bulk-template.ts';
import type { RevealedSecret } from '../../flows/reveal-secret.ts';
import { submitRequest } from '../../flows/submit-request.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
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
import type { ListenerDeps } from './context.ts';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** How long a requested file is remembered, so a second click on its button does not request it again. */
const REQUESTED_MEMORY_MS = 24 * 3_600_000;

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
  channel?: string,
) {
  return submitRequest(deps, {
    vendor,
    requester: { userId: user.id, teamId: user.team },
    bulkFile: {
      rows: c.check.good.map((r) => r.values),
      source: { fileName: c.file.name, rows: c.check.total, dropped: c.check.badRows },
    },
    ...(channel ? { originChannel: channel } : {}),
  });
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
  meta: { vendor: VendorId; channel?: string | undefined },
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
    view: renderBulkPreviewModal(checked.preview, {
      vendor: meta.vendor,
      file: fileId,
      ...(meta.channel ? { channel: meta.channel } : {}),
    }),
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
      await submitFile(
        deps,
        checked,
        meta.vendor,
        { id: body.user.id, team: body.user.team_id ?? body.team?.id ?? '' },
        meta.channel,
      );
      await ack();
    } catch (e) {
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

/** The DM preview's Request button. */
export function onBulkFileRequestClick(deps: ListenerDeps) {
  return async ({ ack, action, body, respond }: ButtonArgs) => {
    await ack();
    const { v, f, d } = readBulkButtonValue(action.value);
    if (!isVendorId(v)) return;
    const channel = body.channel?.id;
    try {
      const checked = await checkFile(deps, v, f);
      if (checked.check.badRows > 0 && !d) return;
      const now = deps.clock.now();
      const first = await deps.store.markDelivery(
        `bulk-file:${f}`,
        new Date(now.getTime() + REQUESTED_MEMORY_MS),
        now,
      );
      if (!first) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'This file was already requested.',
        });
        return;
      }
      await submitFile(
        deps,
        checked,
        v,
        { id: body.user.id, team: body.user.team_id ?? body.team?.id ?? '' },
        channel,
      );
      const done = renderBulkRequestedMessage(
        checked.preview.vendorName,
        checked.check.good.length,
        checked.check.badRows,
      );
      await respond({
        replace_original: true,
        text: done.text,
        ...(done.blocks ? { blocks: done.blocks } : {}),
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
