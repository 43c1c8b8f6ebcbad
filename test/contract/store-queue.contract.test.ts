/** Store contract, part 3: named queues, lease renewal and release, pruning, cross-replica wake. */
import { describe, expect, it } from 'vitest';
import type { Job, NewJob, Store } from '../../src/store/store.ts';
import { describeStores } from './store-backends.ts';
import { at, newRequest, requested, T0 } from './store-fixtures.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function must(job: Job | null): Job {
  if (!job) throw new Error('no job was claimed');
  return job;
}

const inQueue = (queue: string, kind: string, extra: Partial<NewJob> = {}): NewJob => ({
  kind,
  requestId: null,
  queue,
  ...extra,
});

describe('store contract', () => {
  describeStores('job queues', (ctx) => {
    it('runs the jobs of one queue one at a time, in order, while other queues go on', async () => {
      await ctx.store.enqueue(inQueue('q:a', 'a1'), T0);
      await ctx.store.enqueue(inQueue('q:a', 'a2'), T0);
      await ctx.store.enqueue(inQueue('q:b', 'b1'), T0);
      const a1 = must(await ctx.store.claimJob('w1', MINUTE, at(1)));
      expect(a1.kind).toBe('a1');
      expect(must(await ctx.store.claimJob('w2', MINUTE, at(1))).kind).toBe('b1');
      // a2 waits for a1, whoever asks.
      expect(await ctx.store.claimJob('w3', MINUTE, at(1))).toBeNull();
      expect(await ctx.store.completeJob(a1.id, 'w1', at(2))).toBe(true);
      expect(must(await ctx.store.claimJob('w3', MINUTE, at(2))).kind).toBe('a2');
    });

    it('a retry scheduled for later does not hold up the rest of its queue', async () => {
      await ctx.store.enqueue(inQueue('q:a', 'slow'), T0);
      await ctx.store.enqueue(inQueue('q:a', 'card'), T0);
      const slow = must(await ctx.store.claimJob('w', MINUTE, at(1)));
      expect(await ctx.store.failJob(slow.id, 'w', 'HTTP 503', at(10 * MINUTE), at(2))).toBe(true);
      expect(must(await ctx.store.claimJob('w', MINUTE, at(3))).kind).toBe('card');
    });

    it('a job whose lease expired is reclaimed before the later jobs of its queue', async () => {
      await ctx.store.enqueue(inQueue('q:a', 'first'), T0);
      await ctx.store.enqueue(inQueue('q:a', 'second'), T0);
      const first = must(await ctx.store.claimJob('dead', MINUTE, at(1)));
      expect(await ctx.store.claimJob('w', MINUTE, at(MINUTE))).toBeNull();
      expect(await ctx.store.claimJob('w', MINUTE, at(MINUTE + 1))).toMatchObject({
        id: first.id,
        attempts: 2,
      });
    });

    it('4 claimers on separate store instances: never two jobs of a queue at once, each queue in order', async () => {
      const queues = ['q:1', 'q:2', 'q:3'];
      for (let i = 0; i < 30; i++)
        await ctx.store.enqueue(inQueue(queues[i % 3]!, 'step', { payload: i }), T0);
      const stores = await Promise.all([1, 2, 3, 4].map(() => ctx.another({ poolSize: 3 })));
      const running = new Set<string>();
      const order = new Map<string, number[]>();
      const overlaps: string[] = [];
      let done = 0;
      const work = async (store: Store, owner: string) => {
        while (done < 30) {
          const job = await store.claimJob(owner, MINUTE, at(1));
          if (!job) {
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
          const queue = job.queue ?? '';
          if (running.has(queue)) overlaps.push(`${queue} job ${job.id}`);
          running.add(queue);
          order.set(queue, [...(order.get(queue) ?? []), job.id]);
          await new Promise((resolve) => setImmediate(resolve));
          running.delete(queue);
          expect(await store.completeJob(job.id, owner, at(2))).toBe(true);
          done++;
        }
      };
      await Promise.all(stores.map((store, i) => work(store, `w${i}`)));
      expect(overlaps).toEqual([]);
      for (const queue of queues) {
        const ids = order.get(queue) ?? [];
        expect(ids).toHaveLength(10);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
      }
    });
  });

  describeStores('leases', (ctx) => {
    it('a renewal extends the lease, so nobody reclaims the job while it runs', async () => {
      await ctx.store.enqueue({ kind: 'long', requestId: null }, T0);
      const job = must(await ctx.store.claimJob('w1', MINUTE, T0));
      expect(await ctx.store.renewLease(job.id, 'w1', MINUTE, at(MINUTE - 1))).toBe(true);
      expect(await ctx.store.getJob(job.id)).toMatchObject({ leaseExpiresAt: at(2 * MINUTE - 1) });
      expect(await ctx.store.claimJob('w2', MINUTE, at(MINUTE + 1))).toBeNull();
      expect(await ctx.store.completeJob(job.id, 'w1', at(MINUTE + 2))).toBe(true);
    });

    it('a renewal is refused once another worker reclaimed the job, and after it finished', async () => {
      await ctx.store.enqueue({ kind: 'stalled', requestId: null }, T0);
      const job = must(await ctx.store.claimJob('w1', MINUTE, T0));
      // Past the expiry but not reclaimed yet: the lease is still w1's to renew.
      expect(await ctx.store.renewLease(job.id, 'w1', MINUTE, at(MINUTE + 1))).toBe(true);
      expect(must(await ctx.store.claimJob('w2', MINUTE, at(3 * MINUTE))).id).toBe(job.id);
      expect(await ctx.store.renewLease(job.id, 'w1', MINUTE, at(3 * MINUTE + 1))).toBe(false);
      expect(await ctx.store.completeJob(job.id, 'w2', at(3 * MINUTE + 2))).toBe(true);
      expect(await ctx.store.renewLease(job.id, 'w2', MINUTE, at(3 * MINUTE + 3))).toBe(false);
    });

    it('a released job is due at once for another store, its attempt not counted but noted', async () => {
      await ctx.store.enqueue({ kind: 'interrupted', requestId: null }, T0);
      const job = must(await ctx.store.claimJob('w1', 10 * MINUTE, at(1)));
      expect(await ctx.store.releaseJob(job.id, 'w2', at(2))).toBe(false);
      expect(await ctx.store.releaseJob(job.id, 'w1', at(2))).toBe(true);
      // The note tells the next attempt that this one may have sent its message (send-once.ts).
      expect(await ctx.store.getJob(job.id)).toMatchObject({
        state: 'queued',
        attempts: 0,
        leaseOwner: null,
        lastError: 'released by a stopping worker',
      });
      const other = await ctx.another();
      expect(await other.claimJob('w2', MINUTE, at(2))).toMatchObject({ id: job.id, attempts: 1 });
      expect(await ctx.store.completeJob(job.id, 'w1', at(3))).toBe(false);
    });

    it('a released job with a queued twin (same dedupe key) is coalesced into it', async () => {
      const card = { kind: 'render-card', requestId: null, dedupeKey: 'card:9' };
      await ctx.store.enqueue(card, T0);
      const job = must(await ctx.store.claimJob('w1', MINUTE, at(1)));
      await ctx.store.enqueue(card, at(2));
      expect(await ctx.store.releaseJob(job.id, 'w1', at(3))).toBe(true);
      expect((await ctx.store.getJob(job.id))?.state).toBe('done');
      expect(await ctx.store.claimJob('w2', MINUTE, at(3))).toMatchObject({
        dedupeKey: 'card:9',
        lastError: 'released by a stopping worker',
      });
    });
  });

  describeStores('job retention', (ctx) => {
    it('prunes done and dead jobs older than the cut-off; queued, running and the audit trail stay', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      for (const kind of ['done-old', 'dead-old', 'running', 'queued', 'done-new'])
        await ctx.store.enqueue({ kind, requestId: req.id }, T0);
      const finish = async (kind: string, when: Date, how: 'done' | 'dead' | 'run') => {
        for (;;) {
          const job = must(await ctx.store.claimJob('w', DAY, when));
          if (job.kind !== kind) {
            await ctx.store.failJob(job.id, 'w', 'later', at(365 * DAY), when);
            continue;
          }
          if (how === 'done') await ctx.store.completeJob(job.id, 'w', when);
          if (how === 'dead') await ctx.store.failJob(job.id, 'w', 'no', null, when);
          return;
        }
      };
      await finish('done-old', at(1), 'done');
      await finish('dead-old', at(2), 'dead');
      await finish('running', at(3), 'run');
      await finish('done-new', at(31 * DAY), 'done');
      expect(await ctx.store.pruneJobs(at(30 * DAY))).toBe(2);
      expect((await ctx.store.listJobs(req.id)).map((j) => j.kind).sort()).toEqual([
        'done-new',
        'queued',
        'running',
      ]);
      expect(await ctx.store.pruneJobs(at(30 * DAY))).toBe(0);
      expect((await ctx.store.listAudit(req.id)).map((a) => a.action)).toEqual(['requested']);
    });
  });

  describeStores('job wake-ups', (ctx) => {
    it('a job enqueued through one store wakes the watchers of another (PostgreSQL); SQLite has none', async () => {
      const other = await ctx.another();
      let woken = 0;
      let signal: () => void = () => undefined;
      const wokenOnce = new Promise<void>((resolve) => {
        signal = resolve;
      });
      const stop = await other.watchJobs(() => {
        woken++;
        signal();
      });
      try {
        const req = newRequest();
        await ctx.store.createRequest(req, requested, [{ kind: 'render-card', requestId: req.id }], T0);
        if (ctx.db.kind === 'postgres') {
          await wokenOnce;
          expect(woken).toBeGreaterThanOrEqual(1);
        } else {
          expect(woken).toBe(0);
        }
      } finally {
        await stop();
      }
    });
  });
});
