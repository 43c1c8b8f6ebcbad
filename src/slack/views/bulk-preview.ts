/**
 * The preview of a bulk file before anything is stored: counts, the first faults with row and
 * column, where the full error report is, and the way on — a modal (file_input in /newuser <vendor>
 * bulk) or a DM message (a file dropped in the DM). Requesting is offered when the file is clean,
 * or as "leave out the rows with problems" when some rows are good.
 */
import { z } from 'zod';
import type { RowFault } from '../../flows/bulk-check.ts';
import type { KnownBlock, SlackMessage, View } from '../slack-gateway.ts';
import { actions, context, LIMITS, message, section, sectionsOf } from './blocks.ts';
import { ACTION, BLOCK, CALLBACK } from './ids.ts';
import { bold, esc } from './mrkdwn.ts';

/** Faults listed in the preview; the error report has every one. */
export const FAULTS_SHOWN = 10;

export interface BulkPreview {
  vendorName: string;
  fileName: string;
  total: number;
  good: number;
  badRows: number;
  faults: readonly RowFault[];
  /** Whether the vendor can be asked beforehand which users it already has. */
  vendorCanTell: boolean;
}

const n = (x: number) => x.toLocaleString('en-US');
const users = (x: number) => `${n(x)} user${x === 1 ? '' : 's'}`;

function summaryLines(p: BulkPreview, reportWhere: string): string[] {
  const lines = [
    `${bold(p.fileName)}: ${n(p.total)} row${p.total === 1 ? '' : 's'} read, ${n(p.good)} ready, ${n(p.badRows)} with problems.`,
  ];
  if (p.faults.length > 0) {
    lines.push(`${bold(`First problems`)} (row 1 is the header):`);
    lines.push(
      ...p.faults
        .slice(0, FAULTS_SHOWN)
        .map((f) => `• Row ${f.row}${f.field ? ` · \`${esc(f.field)}\`` : ''}: ${esc(f.message)}`),
    );
    if (p.faults.length > FAULTS_SHOWN)
      lines.push(`_… and ${n(p.faults.length - FAULTS_SHOWN)} more in the error report._`);
    lines.push(`:page_facing_up: The full error report (${n(p.faults.length)} problems) is ${reportWhere}.`);
  }
  if (!p.vendorCanTell)
    lines.push(
      `_${esc(p.vendorName)} cannot be asked beforehand which of these users it already has: it refuses those one by one, and the results file will say which._`,
    );
  return lines;
}

export const bulkPreviewMetaSchema = z.object({
  vendor: z.string(),
  channel: z.string().optional(),
  file: z.string(),
  /** The DM preview message the modal was opened from (updated once requested). */
  dm: z.object({ channel: z.string(), ts: z.string() }).optional(),
});
export type BulkPreviewMeta = z.infer<typeof bulkPreviewMetaSchema>;

/**
 * The modal after the file was chosen (or its DM preview's button clicked): submit requests the good
 * rows, with the box ticked when some are bad; `asked` are input blocks the request also needs
 * (Why is this needed?).
 */
export function renderBulkPreviewModal(
  p: BulkPreview,
  meta: BulkPreviewMeta,
  asked: KnownBlock[] = [],
): View {
  const blocks = sectionsOf(
    summaryLines(p, meta.dm ? 'in the thread of the preview message' : 'in your DM with Access Desk'),
    6,
  );
  if (p.good === 0) {
    blocks.push(section(':x: No row can be requested. Fix the file and upload it again.'));
  } else if (p.badRows > 0) {
    blocks.push({
      type: 'input',
      block_id: BLOCK.bulkDrop,
      optional: true,
      label: { type: 'plain_text', text: 'Rows with problems' },
      element: {
        type: 'checkboxes',
        action_id: 'value',
        options: [
          {
            text: {
              type: 'plain_text',
              text: `Leave out ${n(p.badRows)} rows, request ${users(p.good)}`.slice(0, LIMITS.optionText),
            },
            value: 'drop',
          },
        ],
      },
    });
  }
  if (p.good > 0) blocks.push(...asked);
  blocks.push(context('One approval covers the whole batch; nothing is stored until you request it.'));
  return {
    type: 'modal',
    callback_id: CALLBACK.bulkPreview,
    title: { type: 'plain_text', text: 'Check the file' },
    close: { type: 'plain_text', text: 'Cancel' },
    ...(p.good > 0
      ? { submit: { type: 'plain_text', text: `Request ${n(p.good)}`.slice(0, LIMITS.modalTitle) } }
      : {}),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

/** Button value of the DM preview: vendor and file. */
const buttonValueSchema = z.object({ v: z.string(), f: z.string() });
export const readBulkButtonValue = (value: string | undefined) =>
  buttonValueSchema.parse(JSON.parse(value ?? '{}'));

/** The DM reply to a dropped file. */
export function renderBulkPreviewMessage(p: BulkPreview, vendor: string, fileId: string): SlackMessage {
  const blocks = sectionsOf(summaryLines(p, 'in the thread of this message'), 6);
  if (p.good === 0) blocks.push(section(':x: No row can be requested. Fix the file and drop it here again.'));
  else
    blocks.push(
      actions(BLOCK.bulkPreviewActions, [
        {
          text:
            p.badRows > 0
              ? `Leave out ${n(p.badRows)} rows, request ${users(p.good)}`
              : `Request ${users(p.good)}`,
          actionId: ACTION.bulkFileRequest,
          value: JSON.stringify({ v: vendor, f: fileId }),
          style: 'primary',
        },
      ]),
    );
  return message(
    `${esc(p.vendorName)} bulk file ${esc(p.fileName)}: ${n(p.good)} of ${n(p.total)} rows ready`,
    blocks,
  );
}

/** The DM preview once requested (its button gone). */
export function renderBulkRequestedMessage(vendorName: string, good: number, dropped: number): SlackMessage {
  const text = `:white_check_mark: Requested ${users(good)} in ${esc(vendorName)}${dropped > 0 ? ` (${n(dropped)} rows with problems left out)` : ''}. The approvers have the card; you will hear back here.`;
  return message(text, [section(text)]);
}

/** A dropped file that cannot be used at all (columns, size, no vendor takes it). */
export function renderBulkFileRefused(fileName: string, reason: string): SlackMessage {
  const text = `:x: ${bold(fileName)} cannot be used: ${esc(reason)}`;
  return message(text, [section(text)]);
}

/** The modal after a request from the preview could not be saved. */
export function renderBulkNotSavedModal(reason: string): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.bulkPreview,
    title: { type: 'plain_text', text: 'Not requested' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(`:x: Nothing was stored: ${esc(reason)}`)],
  };
}
