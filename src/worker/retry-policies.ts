/**
 * Named retry schedules for durable jobs (graphile-worker style: the next run time is stored with
 * the job, so a restart loses nothing). Exponential with full jitter, capped.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const RETRY_POLICIES = {
  /** Vendor calls: 5 attempts over roughly 10 minutes. */
  provision: { maxAttempts: 5, baseMs: 10_000, maxMs: 5 * 60_000 },
  /** Idempotent vendor reads inside one call (the job's own retry comes on top, once). */
  vendorRead: { maxAttempts: 3, baseMs: 100, maxMs: 1_000 },
  /** Vendor sign-in: one retry after a transport error, never after a refusal (lockout risk). */
  vendorSignIn: { maxAttempts: 2, baseMs: 100, maxMs: 1_000 },
  /** Slack posts and updates. */
  slack: { maxAttempts: 8, baseMs: 1_000, maxMs: 60_000 },
} as const satisfies Record<string, RetryPolicy>;

/** Delay before attempt `attempt + 1`; `random` is injectable so tests are deterministic. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
