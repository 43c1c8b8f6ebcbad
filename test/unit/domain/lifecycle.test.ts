import { describe, expect, it } from 'vitest';
import { LIFECYCLE_EVENTS, type LifecycleEvent, nextStatus } from '../../../src/domain/lifecycle.ts';
import { REQUEST_STATUSES, type RequestStatus } from '../../../src/domain/request.ts';

const ALLOWED: Record<string, RequestStatus> = {
  'PENDING+approve': 'APPROVED',
  'PENDING+deny': 'DENIED',
  'PENDING+expire': 'EXPIRED',
  'PENDING+cancel': 'CANCELLED',
  'APPROVED+start': 'PROVISIONING',
  'PROVISIONING+succeed': 'SUCCEEDED',
  'PROVISIONING+fail': 'FAILED',
  'PROVISIONING+attention': 'NEEDS_ATTENTION',
  'NEEDS_ATTENTION+retry': 'APPROVED',
  'NEEDS_ATTENTION+fail': 'FAILED',
};

describe('life cycle (every status × every event)', () => {
  for (const status of REQUEST_STATUSES) {
    for (const event of LIFECYCLE_EVENTS) {
      const key = `${status}+${event}`;
      it(`${key} → ${ALLOWED[key] ?? 'refused'}`, () => {
        const r = nextStatus(status, event as LifecycleEvent);
        if (ALLOWED[key]) expect(r).toEqual({ ok: true, next: ALLOWED[key] });
        else expect(r).toMatchObject({ ok: false, reason: expect.stringContaining(event) });
      });
    }
  }
});
