/**
 * The job loop (graphile-worker's shape): claim with a lease → run the task → complete, or fail with
 * a next run time. Jobs of one request run one after another in this process so thread replies keep
 * their order; different requests run side by side up to `concurrency`.
 */

import type { Clock } from '../domain/clock.ts';
import { coerceError, RetryLaterError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Job, Store } from '../store/store.ts';
import { backoffMs, RETRY_POLICIES, type RetryPolicy } from './retry-policies.ts';

export type Task = (job: Job) => Promise<void>;

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  tasks: Readonly<Record<string, Task>>;
  /** Unique per process: lease owner. */
  owner: string;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /** Housekeeping run every `sweepEveryMs` of clock time. */
  sweep?: () => Promise<unknown>;
  sweepEveryMs?: number;
  policy?: RetryPolicy;
}

export class Worker {
  readonly #o: WorkerOptions;
  #running = false;
  #loop: Promise<void> | null = null;
  #wakeUp: (() => void) | null = null;
  #woken = false;
  #lastSweep = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(options: WorkerOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  /** A job was enqueued: look now instead of after the poll interval. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Resolves the next time the worker finds nothing to do (for tests and the sandbox). */
  idle(): Promise<void> {
    this.wake();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Claim and run one batch; returns how many jobs ran. */
  async runOnce(): Promise<number> {
    const { store, clock, owner, leaseMs, concurrency } = this.#o;
    await this.#maybeSweep();
    const jobs = await store.claimJobs(owner, leaseMs, concurrency, clock.now());
    const byRequest = new Map<string, Job[]>();
    for (const job of jobs) {
      const key = job.requestId ?? `job:${job.id}`;
      byRequest.set(key, [...(byRequest.get(key) ?? []), job]);
    }
    await Promise.all(
      [...byRequest.values()].map(async (group) => {
        for (const job of group) await this.#runJob(job);
      }),
    );
    return jobs.length;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let ran = 0;
      this.#woken = false;
      try {
        ran = await this.runOnce();
      } catch (e) {
        this.#o.log.error({ err: coerceError(e) }, 'worker loop failed; retrying');
      }
      if (ran > 0 || this.#woken) continue;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#o.pollMs);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = null;
    }
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #maybeSweep(): Promise<void> {
    const { sweep, sweepEveryMs = 60_000, clock } = this.#o;
    const now = clock.now().getTime();
    if (!sweep || now - this.#lastSweep < sweepEveryMs) return;
    this.#lastSweep = now;
    await sweep();
  }

  async #runJob(job: Job): Promise<void> {
    const { store, clock, owner, tasks } = this.#o;
    const log = this.#o.log.child({ jobId: job.id, kind: job.kind, requestId: job.requestId });
    const task = tasks[job.kind];
    if (!task) {
      log.error('no task for this job kind; giving up');
      await store.failJob(job.id, owner, `unknown job kind ${job.kind}`, null, clock.now());
      return;
    }
    try {
      await task(job);
      await store.completeJob(job.id, owner, clock.now());
    } catch (e) {
      const now = clock.now();
      const policy = this.#o.policy ?? RETRY_POLICIES.slack;
      if (e instanceof RetryLaterError) {
        log.info({ delayMs: e.delayMs, reason: e.message }, 'job will run again later');
        await store.failJob(job.id, owner, e.message, new Date(now.getTime() + e.delayMs), now);
        return;
      }
      const err = coerceError(e);
      const retryable = job.attempts < policy.maxAttempts;
      log.error({ err, attempt: job.attempts }, retryable ? 'job failed; will retry' : 'job failed for good');
      const retryAt = retryable ? new Date(now.getTime() + backoffMs(policy, job.attempts)) : null;
      await store.failJob(job.id, owner, err.message, retryAt, now);
    }
  }
}
