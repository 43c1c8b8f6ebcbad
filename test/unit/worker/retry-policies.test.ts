/** The retry schedule: exponential with full jitter between half and all of the ceiling, capped. */
import { describe, expect, it } from 'vitest';
import { backoffMs, RETRY_POLICIES } from '../../../src/worker/retry-policies.ts';

describe('retry policies', () => {
  const policy = { maxAttempts: 5, baseMs: 1_000, maxMs: 8_000 };

  it.each([
    { attempt: 1, low: 500, high: 1_000 },
    { attempt: 2, low: 1_000, high: 2_000 },
    { attempt: 3, low: 2_000, high: 4_000 },
    { attempt: 4, low: 4_000, high: 8_000 },
    { attempt: 9, low: 4_000, high: 8_000 },
  ])('attempt $attempt waits between $low and $high ms', ({ attempt, low, high }) => {
    expect(backoffMs(policy, attempt, () => 0)).toBe(low);
    expect(backoffMs(policy, attempt, () => 1)).toBe(high);
    expect(backoffMs(policy, attempt, () => 0.5)).toBe((low + high) / 2);
  });

  it('a first attempt numbered 0 waits like attempt 1', () => {
    expect(backoffMs(policy, 0, () => 1)).toBe(1_000);
  });

  it('provisioning gives a vendor 5 attempts; Slack calls get more, faster', () => {
    expect(RETRY_POLICIES.provision.maxAttempts).toBe(5);
    expect(RETRY_POLICIES.slack.maxAttempts).toBeGreaterThan(RETRY_POLICIES.provision.maxAttempts);
    expect(RETRY_POLICIES.slack.baseMs).toBeLessThan(RETRY_POLICIES.provision.baseMs);
  });
});
