/**
 * The job loop in graphile-worker's shape: slots that each claim one job, run it (run-job.ts: lease
 * heartbeat, complete or fail), and look again. No slot waits for another, so a slow vendor call
 * never holds up another request. Order within a request comes from the store: jobs of one queue
 * are claimed one at a time, across replicas.
 *
 * Lanes: with `vendorConcurrency`, vendor jobs (pre-checks, provisioning) get slots of their own
 * and every other job the `concurrency` slots, so a burst of approvals never queues behind the
 * cards and replies it causes, nor they behind it; `vendorLimits` caps one vendor's jobs at once.
 *
 * Wake-ups, one claim at a time: a wake (an enqueue here, a NOTIFY from any replica, the one poll
 * timer) starts ONE napping slot per lane; a slot whose claim saw more due jobs starts one more
 * before running its job. So a burst fans out claim by claim, and a lone job costs one claim per
 * lane, not one per idle slot on every replica. A wake that finds no slot napping is owed: the
 * next slot to finish looks again. After its job a slot looks again only when something may wait
 * for it (a job queued behind it, a wake meanwhile, its vendor skipped at the cap, an idle() waiter).
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../domain/clock.ts';
import type { VendorId } from '../domain/request.ts';
import { coerceError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { ClaimedJob, ClaimFilter, Store } from '../store/store.ts';
import type { RetryPolicy } from './retry-policies.ts';
import { type JobStore, runJob, type Task, WorkerStoppingError } from './run-job.ts';

export type { Task, TaskHelpers } from './run-job.ts';

/** After aborting at the deadline, how long tasks get to notice before their leases are released. */
const ABORT_GRACE_MS = 1_000;

export interface WorkerOptions {
  store: JobStore & Pick<Store, 'claimJob'>;
  clock: Clock;
  log: Logger;
  tasks: Readonly<Record<string, Task>>;
  /** Unique per process; slot i claims as `${owner}/${i}` (the `concurrency` slots first). */
  owner: string;
  /** Slots for every job outside vendor queues; for every job when `vendorConcurrency` is unset. */
  concurrency: number;
  /** Slots for vendor jobs (`vendor:` queues); unset, vendor jobs share the `concurrency` slots. */
  vendorConcurrency?: number;
  /** With `vendorConcurrency`: at most this many jobs of one vendor's requests run at once here. */
  vendorLimits?: Readonly<Partial<Record<VendorId, number>>>;
  /** Every `pollMs` real milliseconds one napping slot per lane looks (jobs due by time, leases run out). */
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

/** Slots that claim with one filter, and their wake-up state. */
interface Lane {
  filter: ClaimFilter['lane'] | undefined;
  size: number;
  /** Napping slots, first napped first woken. */
  nappers: Array<() => void>;
  /** A wake found no slot napping, and no claim has begun since. */
  owed: boolean;
  /** Slots woken whose claim has not begun yet. */
  starting: number;
  /** When (real time) a claim of this lane last looked for expired leases too. */
  reclaimedAt: number;
  /** Wakes so far (a slot compares before and after its job). */
  wakes: number;
  /** The claim number of the latest-begun claim that found nothing. */
  lastEmpty: number;
  /** Vendor lane: jobs running per vendor, claims in flight, and the last claim that skipped each vendor. */
  running: Map<VendorId, number>;
  claiming: number;
  skipped: Map<VendorId, number>;
}

export class Worker {
  readonly #o: WorkerOptions;
  #running = false;
  #lanes: Lane[] = [];
  #slots: Promise<void>[] = [];
  /** Slots neither napping nor stopped. */
  #busy = 0;
  readonly #active = new Set<Active>();
  #poll: NodeJS.Timeout | undefined;
  #claims = 0;
  /** The claim count when a job last ended: idle() waits for an empty claim in every lane after it. */
  #lastDone = 0;
  #idleWaiters: { since: number; resolve: () => void }[] = [];
  #lastSweep = Number.NEGATIVE_INFINITY;
  #sweeping: Promise<void> | null = null;

  constructor(options: WorkerOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const { concurrency, vendorConcurrency, pollMs } = this.#o;
    const split = vendorConcurrency !== undefined;
    this.#lanes = [newLane(split ? 'other' : undefined, concurrency)];
    if (split) this.#lanes.push(newLane('vendor', vendorConcurrency));
    let i = 0;
    this.#busy = this.#lanes.reduce((sum, lane) => sum + lane.size, 0);
    // One slot per lane looks at start; the others nap until a claim sees more.
    for (const lane of this.#lanes)
      for (let n = 0; n < lane.size; n++)
        this.#slots.push(this.#slot(lane, `${this.#o.owner}/${i++}`, n === 0));
    // The poll starts one napping slot, or is owed; it is no news for a slot running a job.
    this.#poll = setInterval(() => {
      for (const lane of this.#lanes) this.#wakeOne(lane);
    }, pollMs);
  }

  async stop(options: StopOptions = {}): Promise<void> {
    this.#running = false;
    clearInterval(this.#poll);
    for (const lane of this.#lanes)
      for (const resolve of lane.nappers.splice(0)) {
        this.#busy++;
        resolve();
      }
    const slots = Promise.all(this.#slots);
    if (options.deadlineMs !== undefined && !(await settlesWithin(slots, options.deadlineMs))) {
      for (const a of this.#active) a.abort.abort(new WorkerStoppingError());
      if (!(await settlesWithin(slots, ABORT_GRACE_MS))) await this.#releaseAll();
    } else {
      await slots;
    }
    this.#resolveIdle(true);
  }

  /** A job was enqueued (or may have come due): one napping slot per lane looks now. */
  wake(): void {
    for (const lane of this.#lanes) {
      lane.wakes++;
      this.#wakeOne(lane);
    }
  }

  /**
   * Resolves once no slot runs a job and, in every lane, a claim begun after this call and after
   * the last job ended found nothing (for tests and the sandbox), or the worker stopped.
   */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    const waiter = new Promise<void>((resolve) => this.#idleWaiters.push({ since: this.#claims, resolve }));
    this.wake();
    return waiter;
  }

  async #slot(lane: Lane, owner: string, lookFirst: boolean): Promise<void> {
    let look = lookFirst;
    while (this.#running) {
      let woken = false;
      if (!look) {
        await this.#nap(lane);
        if (!this.#running) break;
        woken = true;
      }
      const claim = ++this.#claims;
      let job: ClaimedJob | null = null;
      try {
        await this.#maybeSweep();
        await this.#o.inbound?.settled();
        if (woken) lane.starting--;
        woken = false;
        lane.owed = false;
        const wakes = lane.wakes;
        job = await this.#claim(lane, owner);
        if (!job) lane.lastEmpty = Math.max(lane.lastEmpty, claim);
        else {
          if (job.laneHasMore) this.#wakeOne(lane);
          await this.#run(lane, job, owner);
          this.#lastDone = this.#claims;
        }
        look = job ? this.#lookAgain(lane, job, claim, wakes) : this.#takeOwed(lane);
      } catch (e) {
        this.#o.log.error({ err: coerceError(e) }, 'worker slot failed; trying again');
        if (woken) lane.starting--;
        look = false;
      }
    }
    this.#busy--;
  }

  /** After a job: whether something may be waiting that no other slot will look for. */
  #lookAgain(lane: Lane, job: ClaimedJob, claim: number, wakes: number): boolean {
    const skipped = job.vendor === null ? 0 : (lane.skipped.get(job.vendor) ?? 0);
    if (this.#idleWaiters.length > 0) {
      // idle() promises that every lane looked after the last job ended (it may have enqueued
      // without a wake).
      for (const other of this.#lanes) if (other !== lane) this.#wakeOne(other);
      return true;
    }
    return this.#takeOwed(lane) || job.queueHasMore || lane.wakes !== wakes || skipped > claim;
  }

  /** An owed wake is taken by the one slot that will look for it. */
  #takeOwed(lane: Lane): boolean {
    const owed = lane.owed;
    lane.owed = false;
    return owed;
  }

  async #claim(lane: Lane, owner: string): Promise<ClaimedJob | null> {
    const { store, clock, leaseMs, pollMs } = this.#o;
    // Leases run out only when a worker died or stalled: looked for once per poll interval.
    const reclaim = performance.now() - lane.reclaimedAt >= pollMs;
    if (reclaim) lane.reclaimedAt = performance.now();
    if (lane.filter !== 'vendor')
      return store.claimJob(owner, leaseMs, clock.now(), { lane: lane.filter, reclaim });
    const skipVendors = this.#atCap(lane);
    for (const v of skipVendors) lane.skipped.set(v, this.#claims);
    lane.claiming++;
    try {
      const job = await store.claimJob(owner, leaseMs, clock.now(), { lane: 'vendor', skipVendors, reclaim });
      if (job?.vendor) lane.running.set(job.vendor, (lane.running.get(job.vendor) ?? 0) + 1);
      return job;
    } finally {
      lane.claiming--;
    }
  }

  /** Vendors whose running jobs, counting every claim in flight as theirs, reach their cap. */
  #atCap(lane: Lane): VendorId[] {
    const limits = Object.entries(this.#o.vendorLimits ?? {}) as [VendorId, number][];
    return limits
      .filter(([vendor, limit]) => (lane.running.get(vendor) ?? 0) + lane.claiming >= limit)
      .map(([vendor]) => vendor);
  }

  async #run(lane: Lane, job: ClaimedJob, owner: string): Promise<void> {
    const active: Active = { owner, jobId: job.id, abort: new AbortController() };
    this.#active.add(active);
    try {
      await runJob(this.#o, job, owner, active.abort);
    } finally {
      this.#active.delete(active);
      if (job.vendor && lane.filter === 'vendor')
        lane.running.set(job.vendor, (lane.running.get(job.vendor) ?? 1) - 1);
    }
  }

  #wakeOne(lane: Lane): void {
    // A slot already woken and not yet claiming covers this wake too (an enqueue's own NOTIFY
    // comes back to this process just after its in-process wake).
    if (lane.starting > 0) return;
    const next = lane.nappers.shift();
    if (next) {
      // The woken slot's claim begins after every wake so far.
      lane.owed = false;
      lane.starting++;
      this.#busy++;
      next();
    } else lane.owed = true;
  }

  #nap(lane: Lane): Promise<void> {
    this.#busy--;
    this.#resolveIdle(false);
    return new Promise<void>((resolve) => lane.nappers.push(resolve));
  }

  #resolveIdle(all: boolean): void {
    this.#idleWaiters = this.#idleWaiters.filter((w) => {
      const since = Math.max(w.since, this.#lastDone);
      const quiet = all || (this.#busy === 0 && this.#lanes.every((l) => l.lastEmpty > since));
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

function newLane(filter: Lane['filter'], size: number): Lane {
  return {
    filter,
    size: Math.max(1, size),
    nappers: [],
    owed: false,
    reclaimedAt: Number.NEGATIVE_INFINITY,
    starting: 0,
    wakes: 0,
    lastEmpty: 0,
    running: new Map(),
    claiming: 0,
    skipped: new Map(),
  };
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
