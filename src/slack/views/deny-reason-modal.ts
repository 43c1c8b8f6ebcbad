import { z } from 'zod';
import type { View } from '../slack-gateway.ts';
import { clip, LIMITS, section } from './blocks.ts';
import { BLOCK, CALLBACK, FIELD_ACTION } from './ids.ts';
import { bold } from './mrkdwn.ts';

export const denyMetadataSchema = z.object({ r: z.string(), h: z.string() });

/** Deny asks why: the reason goes to the requester and into the thread. */
export function renderDenyReasonModal(requestId: string, payloadHash: string, subject: string): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.denyReason,
    title: { type: 'plain_text', text: 'Deny request' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Back' },
    private_metadata: JSON.stringify({ r: requestId, h: payloadHash }),
    blocks: [
      section(
        `Deny the account request for ${bold(clip(subject, 200))}? The requester will see your reason.`,
      ),
      {
        type: 'input',
        block_id: BLOCK.denyReason,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: FIELD_ACTION,
          multiline: true,
          max_length: LIMITS.field,
        },
      },
    ],
  };
}
