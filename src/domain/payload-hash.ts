/** Stable hash of what an approval binds to: key order does not matter. */
import { createHash } from 'node:crypto';
import type { Json } from './request.ts';

function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function payloadHash(payload: Json): string {
  return createHash('sha256').update(canonical(payload)).digest('hex');
}

/**
 * The hash an approval binds to: the vendor payload and the requester's justification, since an
 * approver approves the reason too (editing either resets the approvals). Without a justification
 * it is the payload's own hash, as for requests stored before justifications existed.
 */
export const approvalHash = (payload: Json, justification?: string): string =>
  justification ? payloadHash({ payload, justification }) : payloadHash(payload);
