/**
 * "View all N users": every row of a batch payload with every field (secrets masked), paged so a
 * page stays within Slack's 100 blocks a modal. Rendered from the stored payload, the same one the
 * card's payload hash (shown on both) binds the approval to.
 */
import { z } from 'zod';
import type { PayloadDescription } from '../../vendors/provisioner.ts';
import type { KnownBlock, View } from '../slack-gateway.ts';
import { actions, context, LIMITS, section, sectionsOf } from './blocks.ts';
import { ACTION, CALLBACK } from './ids.ts';
import { bold, esc } from './mrkdwn.ts';
import { payloadLine } from './payload-lines.ts';

/** Users on one page: at most two sections each (a dozen lines), plus 3 blocks: ≤ 83 of 100. */
export const USERS_PER_PAGE = 40;

const pageValueSchema = z.object({ r: z.string().min(1), p: z.number().int().min(0) });
export const payloadPageValue = (requestId: string, page: number) =>
  JSON.stringify({ r: requestId, p: page });
export const readPayloadPageValue = (value: string | undefined) =>
  pageValueSchema.parse(JSON.parse(value ?? '{}'));

export interface PayloadModalInput {
  requestId: string;
  vendorName: string;
  description: PayloadDescription;
  payloadHash: string;
  page: number;
}

export function renderPayloadModal(input: PayloadModalInput): View {
  const rows = input.description.rows ?? [
    { subject: input.description.subject, lines: input.description.lines },
  ];
  const pages = Math.max(1, Math.ceil(rows.length / USERS_PER_PAGE));
  const page = Math.min(Math.max(0, input.page), pages - 1);
  const first = page * USERS_PER_PAGE;
  const shown = rows.slice(first, first + USERS_PER_PAGE);
  const blocks: KnownBlock[] = [
    section(
      `${bold(input.vendorName)}: ${rows.length} user${rows.length === 1 ? '' : 's'}, every field as it will be sent (passwords masked). Users ${first + 1}–${first + shown.length}, page ${page + 1} of ${pages}.`,
    ),
    ...shown.flatMap((r) => sectionsOf([bold(r.subject), ...r.lines.map(payloadLine)], 2)),
    context(`payload ${esc(input.payloadHash.slice(0, 12))} · the approval binds to exactly this payload`),
  ];
  const nav = [
    ...(page > 0
      ? [
          {
            text: 'Previous page',
            actionId: ACTION.payloadPage,
            value: payloadPageValue(input.requestId, page - 1),
          },
        ]
      : []),
    ...(page < pages - 1
      ? [
          {
            text: 'Next page',
            actionId: ACTION.payloadPage,
            value: payloadPageValue(input.requestId, page + 1),
          },
        ]
      : []),
  ];
  if (nav.length) blocks.push(actions('payload_pages', nav));
  return {
    type: 'modal',
    callback_id: CALLBACK.payload,
    title: { type: 'plain_text', text: 'Everything sent' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: blocks.slice(0, LIMITS.modalBlocks),
  };
}
