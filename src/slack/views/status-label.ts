import type { Outcome } from '../../domain/facts.ts';
import type { RequestStatus } from '../../domain/request.ts';
import { esc } from './mrkdwn.ts';

/** One emoji per status, so a reader (and the soak's checks) can tell them apart at a glance. */
export const STATUS_EMOJI: Readonly<Record<RequestStatus, string>> = {
  PENDING: ':hourglass_flowing_sand:',
  APPROVED: ':white_check_mark:',
  PROVISIONING: ':gear:',
  SUCCEEDED: ':large_green_circle:',
  FAILED: ':red_circle:',
  NEEDS_ATTENTION: ':warning:',
  DENIED: ':no_entry:',
  EXPIRED: ':zzz:',
  CANCELLED: ':heavy_multiplication_x:',
};

/** How each status reads on the card and in DMs. */
export const STATUS_LABEL: Readonly<Record<RequestStatus, string>> = {
  PENDING: `${STATUS_EMOJI.PENDING} Waiting for approval`,
  APPROVED: `${STATUS_EMOJI.APPROVED} Approved — queued for provisioning`,
  PROVISIONING: `${STATUS_EMOJI.PROVISIONING} Provisioning`,
  SUCCEEDED: `${STATUS_EMOJI.SUCCEEDED} Done`,
  FAILED: `${STATUS_EMOJI.FAILED} Refused by the vendor`,
  NEEDS_ATTENTION: `${STATUS_EMOJI.NEEDS_ATTENTION} Needs attention — outcome unknown`,
  DENIED: `${STATUS_EMOJI.DENIED} Denied`,
  EXPIRED: `${STATUS_EMOJI.EXPIRED} Expired without a decision`,
  CANCELLED: `${STATUS_EMOJI.CANCELLED} Cancelled by the requester`,
};

/**
 * The status as the card, the DM and the outcome reply name it (mrkdwn): a success in the vendor's
 * own words for what happened — a PJM registration is only submitted, pending the Company Account
 * Manager — and an account found already there is not "Done".
 */
export function statusLabel(status: RequestStatus, outcome?: Outcome): string {
  if (status === 'SUCCEEDED' && outcome?.kind === 'exists')
    return `${STATUS_EMOJI.SUCCEEDED} Already exists — nothing was created`;
  if (status === 'SUCCEEDED' && outcome?.label) return `${STATUS_EMOJI.SUCCEEDED} ${esc(outcome.label)}`;
  return STATUS_LABEL[status];
}

/** The heading over the payload on the card: what will be, is being or was sent — or that nothing was. */
export function payloadHeading(status: RequestStatus, outcome?: Outcome): string {
  switch (status) {
    case 'PENDING':
    case 'APPROVED':
      return 'What will be sent';
    case 'PROVISIONING':
      return 'What is being sent';
    case 'SUCCEEDED':
      return outcome?.kind === 'exists' ? 'What was asked for (nothing was sent)' : 'What was sent';
    case 'FAILED':
    case 'NEEDS_ATTENTION':
      return 'What was sent';
    default:
      return 'What was asked for (nothing was sent)';
  }
}
