/**
 * The request life cycle as a pure table (DESIGN.md "Request life cycle"): which event may move a
 * request from which status to which. No I/O; the store applies the result with a conditional update.
 */
import type { RequestStatus } from './request.ts';

export const LIFECYCLE_EVENTS = [
  'approve',
  'deny',
  'expire',
  'cancel',
  'start',
  'succeed',
  'fail',
  'attention',
  'retry',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

const TABLE: Readonly<Record<RequestStatus, Partial<Record<LifecycleEvent, RequestStatus>>>> = {
  PENDING: { approve: 'APPROVED', deny: 'DENIED', expire: 'EXPIRED', cancel: 'CANCELLED' },
  APPROVED: { start: 'PROVISIONING' },
  PROVISIONING: { succeed: 'SUCCEEDED', fail: 'FAILED', attention: 'NEEDS_ATTENTION' },
  // An admin either retries (back through the worker's pre-check) or gives up.
  NEEDS_ATTENTION: { retry: 'APPROVED', fail: 'FAILED' },
  SUCCEEDED: {},
  FAILED: {},
  DENIED: {},
  EXPIRED: {},
  CANCELLED: {},
};

export type TransitionResult = { ok: true; next: RequestStatus } | { ok: false; reason: string };

export function nextStatus(current: RequestStatus, event: LifecycleEvent): TransitionResult {
  const next = TABLE[current][event];
  return next
    ? { ok: true, next }
    : { ok: false, reason: `A ${current.toLowerCase().replace('_', ' ')} request cannot ${event}` };
}

export const isPending = (s: RequestStatus) => s === 'PENDING';
