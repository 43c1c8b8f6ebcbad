import type { RequestStatus } from '../../domain/request.ts';

/** How each status reads on the card and in DMs. */
export const STATUS_LABEL: Readonly<Record<RequestStatus, string>> = {
  PENDING: ':hourglass_flowing_sand: Waiting for approval',
  APPROVED: ':white_check_mark: Approved — queued for provisioning',
  PROVISIONING: ':gear: Provisioning',
  SUCCEEDED: ':large_green_circle: Done',
  FAILED: ':red_circle: Refused by the vendor',
  NEEDS_ATTENTION: ':warning: Needs attention — outcome unknown',
  DENIED: ':no_entry: Denied',
  EXPIRED: ':zzz: Expired without a decision',
  CANCELLED: ':heavy_multiplication_x: Cancelled by the requester',
};
