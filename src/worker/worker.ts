/**
 * The job loop in graphile-worker's shape: `concurrency` independent slots, each claims one job,
 * runs it (run-job.ts: lease heartbeat, complete or fail), and claims again. No slot waits for
 * another, so a slow vendor call never holds up another request. Order within a request comes from
 * the store: jobs of one queue are claimed one at a time, across replicas.
 */
import type { Clock } from '../domain/clock.ts';
import { coerceError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Store } from '../store/store.ts';
import type { RetryPolicy } from './retry-policies.ts';
import { runJob, type Task, WorkerStoppingError } from './run-job.ts';

export type { Task, TaskHelpers } from './run-job.ts';

/** After aborting at the deadline, how long tasks get to notice before their leases are released. */
const ABORT_GRACE_MS = 1_000;

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  tasks: Readonly<Record<string, Task>>;
  /** Unique per process; each slot claims as `${owner}/${slot}`. */
  owner: string;
  concurrency: number;
  /** Idle wait between claims when nothing woke the worker, in real milliseconds. */
  pollMs: number;
  leaseMs: number;
  /** Housekeeping run every `sweepEveryMs` of clock time. */
  sweep?: () => Promise<unknown>;
  sweepEveryMs?: number;
  policy?: RetryPolicy;
  /** Before each claim, wait while Slack deliveries are arriving (inbound-traffic.ts): acks first. */
  inbound?: { settled(): Promise<void> };
}

export interface StopOptions {
  /**
   * Wall-clock time running jobs get to finish. Then their signals fire, and their leases are
   * handed back so another replica takes them at once. Without it, stop waits for every job.
   */
  deadlineMs?: number;
}

interface Active {
  owner: string;
  jobId: number;
  abort: AbortController;
}

export class Worker {
  readonly #o: WorkerOptions;
  #running = false;
  #slots: Promise<void>[] = [];
  readonly #active = new Set<Active>();
  /** Bumped by every wake, so a slot that was claiming when it came looks again before napping. */
  #wakes = 0;
  readonly #nappers = new Set<() => void>();
  /** Per slot: the claim number of its last claim that found nothing, while it naps after it. */
  #quietSince: number[] = [];
  #claims = 0;
  #idleWaiters: { since: number; resolve: () => void }[] = [];
  #lastSweep = Number.NEGATIVE_INFINITY;
  #sweeping: Promise<void> | null = null;

  constructor(options: WorkerOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const n = Math.max(1, this.#o.concurrency);
    this.#quietSince = Array.from({ length: n }, () => -1);
    this.#slots = this.#quietSince.map((_, i) => this.#slot(i));
  }

  async stop(options: StopOptions = {}): Promise<void> {
    this.#running = false;
    this.wake();
    const slots = Promise.all(this.#slots);
    if (options.deadlineMs !== undefined && !(await settlesWithin(slots, options.deadlineMs))) {
      for (const a of this.#active) a.abort.abort(new WorkerStoppingError());
      if (!(await settlesWithin(slots, ABORT_GRACE_MS))) await this.#releaseAll();
    } else {
      await slots;
    }
    this.#resolveIdle(true);
  }

  /** A job was enqueued: every napping slot looks now instead of after the poll interval. */
  wake(): void {
    this.#wakes++;
    for (const resolve of this.#nappers) resolve();
    this.#nappers.clear();
  }

  /**
   * Resolves once every slot, after this call, has looked and found nothing to do (for tests and
   * the sandbox), or the worker stopped.
   */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    const waiter = new Promise<void>((resolve) => this.#idleWaiters.push({ since: this.#claims, resolve }));
    this.wake();
    return waiter;
  }

  async #slot(i: number): Promise<void> {
    const owner = `${this.#o.owner}/${i}`;
    while (this.#running) {
      const wakes = this.#wakes;
      const claim = ++this.#claims;
      this.#quietSince[i] = -1;
      let ran = false;
      try {
        await this.#maybeSweep();
        await this.#o.inbound?.settled();
        ran = await this.#claimAndRun(owner);
      } catch (e) {
        this.#o.log.error({ err: coerceError(e) }, 'worker slot failed; trying again');
      }
      if (ran || wakes !== this.#wakes || !this.#running) continue;
      this.#quietSince[i] = claim;
      this.#resolveIdle(false);
      await this.#nap();
    }
    this.#quietSince[i] = Number.POSITIVE_INFINITY;
  }

  async #claimAndRun(owner: string): Promise<boolean> {
    const { store, clock, leaseMs } = this.#o;
    const job = await store.claimJob(owner, leaseMs, clock.now());
    if (!job) return false;
    const active: Active = { owner, jobId: job.id, abort: new AbortController() };
    this.#active.add(active);
    try {
      await runJob(this.#o, job, owner, active.abort);
    } finally {
      this.#active.delete(active);
    }
    return true;
  }

  #nap(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#nappers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.#o.pollMs);
      this.#nappers.add(done);
    });
  }

  #resolveIdle(all: boolean): void {
    this.#idleWaiters = this.#idleWaiters.filter((w) => {
      const quiet = all || this.#quietSince.every((c) => c > w.since);
      if (quiet) w.resolve();
      return !quiet;
    });
  }

  /** One sweep at a time per process, at most every `sweepEveryMs` of clock time. */
  async #maybeSweep(): Promise<void> {
    const { sweep, sweepEveryMs = 60_000, clock } = this.#o;
    const now = clock.now().getTime();
    if (!sweep || this.#sweeping || now - this.#lastSweep < sweepEveryMs) return;
    this.#lastSweep = now;
    this.#sweeping = sweep()
      .then(() => undefined)
      .finally(() => {
        this.#sweeping = null;
      });
    await this.#sweeping;
  }

  /** The deadline passed and some task ignored its signal: give its job back regardless. */
  async #releaseAll(): Promise<void> {
    const now = this.#o.clock.now();
    for (const a of this.#active) {
      try {
        if (await this.#o.store.releaseJob(a.jobId, a.owner, now))
          this.#o.log.warn({ jobId: a.jobId }, 'job handed back while its task was still running');
      } catch (e) {
        this.#o.log.error({ err: coerceError(e), jobId: a.jobId }, 'could not hand a job back');
      }
    }
  }
}

/** Whether `p` settles within `ms` of wall-clock time (shutdown bounds are real time). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([p.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
