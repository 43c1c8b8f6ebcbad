/** Builders for store contract tests: fixed times, unique ids, a minimal valid request. */
import { randomUUID } from 'node:crypto';
import type { NewRequest } from '../../src/store/store.ts';
import { FakeClock } from '../fakes/fake-clock.ts';

export const T0 = new Date('2026-11-24T09:00:00Z');

/** A clock at T0 for tests that step through time. */
export const clockAtT0 = (): FakeClock => new FakeClock(T0);

export const at = (msAfterT0: number): Date => new Date(T0.getTime() + msAfterT0);

export function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    id: `req-${randomUUID()}`,
    vendor: 'pjm',
    requesterId: 'UREQUESTER',
    teamId: 'T0TEAM',
    payload: { username: 'jdoe', accountAccess: ['eMkt', 'Settlements'], nested: { n: 1, ok: true } },
    payloadHash: 'hash-1',
    facts: { precheck: 'absent' },
    ...overrides,
  };
}

export const requested = { actor: 'UREQUESTER', action: 'requested' };
