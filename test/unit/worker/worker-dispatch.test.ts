/**
 * The worker's dispatch rules, counted claim by claim against an in-memory queue that answers at
 * once (so a few event-loop turns settle everything): a wake starts one napping slot, a claim that
 * saw more starts one more, the one poll timer starts one; vendor jobs have their own slots and a
 * vendor's cap holds. The real stores' side of a claim (lanes, order, hints) is the contract suite's.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VendorId } from '../../../src/domain/request.ts';
import {
  type ClaimedJob,
  type ClaimFilter,
  type Store,
  VENDOR_QUEUE_PREFIX,
} from '../../../src/store/store.ts';
import { type Task, Worker, type WorkerOptions } from '../../../src/worker/worker.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import { gate } from './task-fakes.ts';

const HOUR = 3_600_000;

interface QueuedJob {
  id: number;
  kind: string;
  queue: string | null;
  vendor: VendorId | null;
  state: 'queued' | 'running' | 'done';
}

/** Jobs in memory with the store's claim rules (lane, skipped vendors, one at a time per queue); every claim recorded. */
class CountingQueue
  implements Pick<Store, 'claimJob' | 'completeJob' | 'failJob' | 'releaseJob' | 'renewLease'>
{
  readonly jobs: QueuedJob[] = [];
  readonly claims: { owner: string; lane: string; found: string | null; reclaim: boolean }[] = [];

  add(kind: string, options: { queue?: string; vendor?: VendorId } = {}): void {
    const queue = options.queue ?? (options.vendor ? `${VENDOR_QUEUE_PREFIX}${kind}` : null);
    this.jobs.push({
      id: this.jobs.length + 1,
      kind,
      queue,
      vendor: options.vendor ?? null,
      state: 'queued',
    });
  }

  get empty(): number {
    return this.claims.filter((c) => c.found === null).length;
  }

  get found(): number {
    return this.claims.filter((c) => c.found !== null).length;
  }

  async claimJob(
    owner: string,
    _leaseMs: number,
    now: Date,
    filter?: ClaimFilter,
  ): Promise<ClaimedJob | null> {
    const fits = (j: QueuedJob) => {
      const vendorQueue = j.queue?.startsWith(VENDOR_QUEUE_PREFIX) ?? false;
      if (filter?.lane === 'vendor' && !vendorQueue) return false;
      if (filter?.lane === 'other' && vendorQueue) return false;
      return !(vendorQueue && j.vendor && filter?.skipVendors?.includes(j.vendor));
    };
    const free = (j: QueuedJob) =>
      j.queue === null || !this.jobs.some((o) => o.queue === j.queue && o.id < j.id && o.state !== 'done');
    const job = this.jobs.find((j) => j.state === 'queued' && fits(j) && free(j));
    this.claims.push({
      owner,
      lane: filter?.lane ?? 'any',
      found: job?.kind ?? null,
      reclaim: filter?.reclaim ?? true,
    });
    if (!job) return null;
    job.state = 'running';
    return {
      id: job.id,
      kind: job.kind,
      requestId: null,
      queue: job.queue,
      payload: null,
      state: 'running',
      attempts: 1,
      runAfter: now,
      leaseOwner: owner,
      leaseExpiresAt: null,
      lastError: null,
      dedupeKey: null,
      createdAt: now,
      vendor: job.vendor,
      queueHasMore: this.jobs.some((o) => o.queue === job.queue && o.queue !== null && o.state === 'queued'),
      laneHasMore: this.jobs.some((o) => o.state === 'queued' && fits(o)),
    };
  }

  async completeJob(jobId: number): Promise<boolean> {
    const job = this.jobs.find((j) => j.id === jobId);
    if (job) job.state = 'done';
    return true;
  }

  failJob = this.completeJob;
  releaseJob = this.completeJob;

  async renewLease(): Promise<boolean> {
    return true;
  }
}

/** Every promise continuation and I/O callback of the queue and the worker has run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
}

function startWorker(
  queue: CountingQueue,
  tasks: Record<string, Task>,
  options: Partial<WorkerOptions> = {},
): Worker {
  const worker = new Worker({
    store: queue,
    clock: new FakeClock(),
    log: captureLogger().log,
    tasks,
    owner: 'w',
    concurrency: 4,
    pollMs: HOUR,
    leaseMs: 60_000,
    ...options,
  });
  worker.start();
  return worker;
}

describe('worker dispatch', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('4 idle slots: one enqueue (one wake) costs one claim, not one per slot', async () => {
    const queue = new CountingQueue();
    const ran: string[] = [];
    const worker = startWorker(queue, { job: async (job) => void ran.push(job.kind) });
    await settle();
    expect(queue.claims).toHaveLength(1); // at start one slot looks, the others nap
    queue.add('job');
    worker.wake();
    await settle();
    expect(ran).toEqual(['job']);
    expect(queue.claims.slice(1).map((c) => c.found)).toEqual(['job']);
    await worker.stop();
  });

  it('one enqueue woken twice (in process, then its own NOTIFY) before the woken slot claims: still one claim', async () => {
    const queue = new CountingQueue();
    const worker = startWorker(queue, { job: async () => {} });
    await settle();
    queue.add('job');
    worker.wake();
    worker.wake();
    await settle();
    expect(queue.claims.slice(1).map((c) => c.found)).toEqual(['job']);
    await worker.stop();
  });

  it('expired leases are looked for once per poll interval, not by every claim', async () => {
    const queue = new CountingQueue();
    const worker = startWorker(queue, { job: async () => {} });
    await settle();
    for (let i = 0; i < 3; i++) {
      queue.add('job');
      worker.wake();
      await settle();
    }
    expect(queue.claims.map((c) => c.reclaim)).toEqual([true, false, false, false]);
    await worker.stop();
  });

  it('a burst of 10 jobs fans out claim by claim over 4 slots: all run, no claim finds nothing', async () => {
    const queue = new CountingQueue();
    const held = gate();
    let running = 0;
    let most = 0;
    const worker = startWorker(queue, {
      job: async () => {
        most = Math.max(most, ++running);
        await held.promise;
        running--;
      },
    });
    await settle();
    const before = queue.claims.length;
    for (let i = 0; i < 10; i++) queue.add('job');
    worker.wake();
    await settle();
    // Each claim saw more and started the next napping slot: 4 claims, 4 jobs running.
    expect(queue.claims.slice(before).map((c) => c.found)).toEqual(['job', 'job', 'job', 'job']);
    held.open();
    await settle();
    expect(queue.jobs.every((j) => j.state === 'done')).toBe(true);
    expect(most).toBe(4);
    expect(queue.found).toBe(10);
    expect(queue.empty - 1).toBeLessThanOrEqual(1); // the start's look, and at most one at the end
    await worker.stop();
  });

  it('a job queued behind a running one is claimed when it ends, with no wake', async () => {
    const queue = new CountingQueue();
    const held = gate();
    const ran: string[] = [];
    const worker = startWorker(queue, {
      first: async () => {
        ran.push('first');
        await held.promise;
      },
      second: async () => void ran.push('second'),
    });
    await settle();
    queue.add('first', { queue: 'chat:r1' });
    queue.add('second', { queue: 'chat:r1' });
    worker.wake();
    await settle();
    expect(ran).toEqual(['first']);
    held.open();
    await settle();
    expect(ran).toEqual(['first', 'second']);
    await worker.stop();
  });

  it('the one poll timer starts one napping slot per tick, not every slot', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const queue = new CountingQueue();
    const ran: string[] = [];
    const worker = startWorker(queue, { job: async (job) => void ran.push(job.kind) }, { pollMs: 500 });
    await settle();
    const before = queue.claims.length;
    queue.add('job'); // e.g. a retry come due: no wake
    await settle();
    expect(queue.claims).toHaveLength(before);
    vi.advanceTimersByTime(500);
    await settle();
    expect(ran).toEqual(['job']);
    expect(queue.claims.slice(before).map((c) => c.found)).toEqual(['job']);
    vi.advanceTimersByTime(500);
    await settle();
    expect(queue.claims.slice(before).map((c) => c.found)).toEqual(['job', null]);
    await worker.stop();
  });

  it('vendor jobs have their own slots: 2 held vendor jobs do not hold up a chat job, nor does the chat lane take them', async () => {
    const queue = new CountingQueue();
    const held = gate();
    const ran: string[] = [];
    const worker = startWorker(
      queue,
      {
        provision: async (job) => {
          ran.push(`${job.kind} ${job.queue}`);
          await held.promise;
        },
        card: async () => void ran.push('card'),
      },
      { concurrency: 1, vendorConcurrency: 2 },
    );
    await settle();
    queue.add('provision', { queue: `${VENDOR_QUEUE_PREFIX}a`, vendor: 'pam360' });
    queue.add('provision', { queue: `${VENDOR_QUEUE_PREFIX}b`, vendor: 'pam360' });
    queue.add('provision', { queue: `${VENDOR_QUEUE_PREFIX}c`, vendor: 'pam360' });
    queue.add('card', { queue: 'chat:a' });
    worker.wake();
    await settle();
    expect(ran.sort()).toEqual(['card', 'provision vendor:a', 'provision vendor:b']);
    const lanes = new Map(queue.claims.filter((c) => c.found).map((c) => [c.found, c.lane]));
    expect(Object.fromEntries(lanes)).toEqual({ provision: 'vendor', card: 'other' });
    // The vendor slots are w/1 and w/2, after the one chat slot.
    expect(new Set(queue.claims.filter((c) => c.lane === 'vendor').map((c) => c.owner))).toEqual(
      new Set(['w/1', 'w/2']),
    );
    held.open();
    await settle();
    expect(queue.jobs.every((j) => j.state === 'done')).toBe(true);
    await worker.stop();
  });

  it('a vendor capped at 1 runs one job at a time while another vendor goes on; the next starts when it ends', async () => {
    const queue = new CountingQueue();
    const gates = new Map<number, ReturnType<typeof gate>>();
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    const worker = startWorker(
      queue,
      {
        call: async (job) => {
          const vendor = job.queue?.split(':')[1]?.slice(0, 3) ?? '?';
          running.set(vendor, (running.get(vendor) ?? 0) + 1);
          most.set(vendor, Math.max(most.get(vendor) ?? 0, running.get(vendor) ?? 0));
          const g = gate();
          gates.set(job.id, g);
          await g.promise;
          running.set(vendor, (running.get(vendor) ?? 1) - 1);
        },
      },
      { concurrency: 1, vendorConcurrency: 4, vendorLimits: { pam360: 1 } },
    );
    await settle();
    for (const name of ['pam1', 'pam2', 'pam3'])
      queue.add('call', { queue: `vendor:${name}`, vendor: 'pam360' });
    queue.add('call', { queue: 'vendor:pjm1', vendor: 'pjm' });
    worker.wake();
    await settle();
    expect([...running.entries()].sort()).toEqual([
      ['pam', 1],
      ['pjm', 1],
    ]);
    for (let round = 0; round < 3; round++) {
      for (const [id, g] of gates) if (queue.jobs[id - 1]?.state === 'running') g.open();
      await settle();
    }
    expect(queue.jobs.every((j) => j.state === 'done')).toBe(true);
    expect(most.get('pam')).toBe(1);
    await worker.stop();
  });
});
