/** Store contract, part 2: the job queue and Slack delivery ids — on every back end. */
import { describe, expect, it } from 'vitest';
import type { Job, Store } from '../../src/store/store.ts';
import { describeStores } from './store-backends.ts';
import { at, newRequest, requested, T0 } from './store-fixtures.ts';

const MINUTE = 60_000;

function idOf(job: Job | null | undefined): number {
  if (!job) throw new Error('no job was claimed');
  return job.id;
}

describe('store contract', () => {
  describeStores('jobs', (ctx) => {
    it('claims only due jobs, oldest runAfter first, setting owner, lease and attempts', async () => {
      const req = newRequest();
      await ctx.store.createRequest(req, requested, [], T0);
      await ctx.store.enqueue({ kind: 'later', requestId: null, runAfter: at(10 * MINUTE) }, T0);
      await ctx.store.enqueue({ kind: 'second', requestId: req.id, runAfter: at(2), payload: { n: 2 } }, T0);
      await ctx.store.enqueue({ kind: 'first', requestId: req.id, runAfter: at(1), payload: { n: 1 } }, T0);
      const first = await ctx.store.claimJob('worker-a', 20 * MINUTE, at(5));
      expect(first).toMatchObject({
        kind: 'first',
        requestId: req.id,
        queue: null,
        payload: { n: 1 },
        state: 'running',
        attempts: 1,
        leaseOwner: 'worker-a',
        leaseExpiresAt: at(5 + 20 * MINUTE),
        lastError: null,
        createdAt: T0,
      });
      expect(await ctx.store.claimJob('worker-b', 20 * MINUTE, at(5))).toMatchObject({ kind: 'second' });
      expect(await ctx.store.claimJob('worker-b', 20 * MINUTE, at(5))).toBeNull();
      expect(await ctx.store.claimJob('worker-b', MINUTE, at(10 * MINUTE))).toMatchObject({ kind: 'later' });
    });

    it('4 concurrent workers on separate store instances claim 200 jobs, each exactly once', async () => {
      for (let i = 0; i < 200; i++)
        await ctx.store.enqueue({ kind: 'bulk', requestId: null, payload: i }, T0);
      const workers = await Promise.all([1, 2, 3, 4].map(() => ctx.another({ poolSize: 3 })));
      const claims = new Map<number, string[]>();
      const work = async (store: Store, owner: string) => {
        for (;;) {
          const job = await store.claimJob(owner, MINUTE, at(1));
          if (!job) return;
          claims.set(job.id, [...(claims.get(job.id) ?? []), owner]);
          expect(await store.completeJob(job.id, owner, at(2))).toBe(true);
        }
      };
      await Promise.all(workers.map((store, i) => work(store, `worker-${i}`)));
      expect(claims.size).toBe(200);
      expect([...claims.values()].filter((owners) => owners.length !== 1)).toEqual([]);
      expect(new Set([...claims.values()].flat()).size).toBeGreaterThan(1);
      expect(await ctx.store.claimJob('late', MINUTE, at(3 * MINUTE))).toBeNull();
    });

    it('reclaims a job whose lease expired; the old owner can no longer complete or fail it', async () => {
      await ctx.store.enqueue({ kind: 'slow', requestId: null }, T0);
      const id = idOf(await ctx.store.claimJob('worker-a', MINUTE, T0));
      expect(await ctx.store.claimJob('worker-b', MINUTE, at(MINUTE - 1))).toBeNull();
      const again = await ctx.store.claimJob('worker-b', MINUTE, at(MINUTE));
      expect(again).toMatchObject({
        id,
        attempts: 2,
        leaseOwner: 'worker-b',
        leaseExpiresAt: at(2 * MINUTE),
      });
      expect(await ctx.store.completeJob(id, 'worker-a', at(MINUTE + 1))).toBe(false);
      expect(await ctx.store.failJob(id, 'worker-a', 'late', null, at(MINUTE + 1))).toBe(false);
      expect(await ctx.store.completeJob(id, 'worker-b', at(MINUTE + 2))).toBe(true);
      expect(await ctx.store.getJob(id)).toMatchObject({
        state: 'done',
        leaseOwner: 'worker-b',
        attempts: 2,
      });
      expect(await ctx.store.completeJob(id, 'worker-b', at(MINUTE + 3))).toBe(false);
    });

    it('failJob with retryAt requeues for then; with null the job is dead and never claimed again', async () => {
      await ctx.store.enqueue({ kind: 'flaky', requestId: null }, T0);
      const id = idOf(await ctx.store.claimJob('w', MINUTE, T0));
      expect(await ctx.store.failJob(id, 'w', 'HTTP 503', at(30_000), at(1))).toBe(true);
      expect(await ctx.store.getJob(id)).toMatchObject({
        state: 'queued',
        runAfter: at(30_000),
        lastError: 'HTTP 503',
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: 1,
      });
      expect(await ctx.store.claimJob('w', MINUTE, at(29_999))).toBeNull();
      const second = await ctx.store.claimJob('w', MINUTE, at(30_000));
      expect(second).toMatchObject({ id, attempts: 2 });
      expect(await ctx.store.failJob(id, 'w', 'rejected', null, at(30_001))).toBe(true);
      expect(await ctx.store.getJob(id)).toMatchObject({ state: 'dead', lastError: 'rejected', attempts: 2 });
      expect(await ctx.store.claimJob('w', MINUTE, at(10 * MINUTE))).toBeNull();
      expect(await ctx.store.getJob(9_999_999)).toBeNull();
    });

    it('a dedupe key coalesces queued jobs only', async () => {
      const job = { kind: 'render-card', requestId: null, dedupeKey: 'card:1' };
      await ctx.store.enqueue({ ...job, payload: 'first' }, T0);
      await ctx.store.enqueue({ ...job, payload: 'second' }, at(1));
      const running = await ctx.store.claimJob('w', MINUTE, at(2));
      expect(running).toMatchObject({ payload: 'first' });
      expect(await ctx.store.claimJob('w', MINUTE, at(2))).toBeNull();
      // The first is running now, so a new one is accepted …
      await ctx.store.enqueue({ ...job, payload: 'third' }, at(3));
      // … and coalesces the next one.
      await ctx.store.enqueue({ ...job, payload: 'fourth' }, at(4));
      await ctx.store.enqueue(
        { kind: 'render-card', requestId: null, dedupeKey: 'card:2', payload: 'other' },
        at(4),
      );
      const next = [
        await ctx.store.claimJob('w', MINUTE, at(5)),
        await ctx.store.claimJob('w', MINUTE, at(5)),
      ];
      expect(next.map((j) => j?.payload)).toEqual(['third', 'other']);
    });

    it('a retry that would duplicate a queued job with the same dedupe key is coalesced into it', async () => {
      const job = { kind: 'render-card', requestId: null, dedupeKey: 'card:1' };
      await ctx.store.enqueue(job, T0);
      const id = idOf(await ctx.store.claimJob('w', MINUTE, at(1)));
      await ctx.store.enqueue(job, at(2));
      expect(await ctx.store.failJob(id, 'w', 'slack 500', at(10), at(3))).toBe(true);
      const failed = await ctx.store.getJob(id);
      expect(failed?.state).toBe('done');
      expect(failed?.lastError).toMatch(/^slack 500 \(retry coalesced into job \d+\)$/);
      // The queued twin waits out the retry time (a rate limit's Retry-After) too, and inherits the
      // error: the failed attempt may have sent its message, so the twin looks before sending.
      expect(await ctx.store.claimJob('w', MINUTE, at(9))).toBeNull();
      expect(await ctx.store.claimJob('w', MINUTE, at(20))).toMatchObject({ lastError: 'slack 500' });
    });
  });

  describeStores('Slack deliveries', (ctx) => {
    it('detects a duplicate delivery id, and accepts it again once expired', async () => {
      expect(await ctx.store.markDelivery('Ev1', at(MINUTE), T0)).toBe(true);
      expect(await ctx.store.markDelivery('Ev1', at(MINUTE), at(1))).toBe(false);
      expect(await ctx.store.markDelivery('Ev2', at(MINUTE), at(1))).toBe(true);
      expect(await ctx.store.markDelivery('Ev1', at(MINUTE - 1), at(MINUTE - 1))).toBe(false);
      expect(await ctx.store.markDelivery('Ev1', at(2 * MINUTE), at(MINUTE))).toBe(true);
      expect(await ctx.store.markDelivery('Ev1', at(2 * MINUTE), at(MINUTE + 1))).toBe(false);
    });

    it('concurrent marks of one id: exactly one is first', async () => {
      const other = await ctx.another({ poolSize: 5 });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? other : ctx.store).markDelivery('EvRace', at(MINUTE), T0),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('marks a batch in one write: new, remembered, expired, and an id repeated within the batch', async () => {
      await ctx.store.markDelivery('known', at(MINUTE), T0);
      await ctx.store.markDelivery('stale', at(10), T0);
      const firsts = await ctx.store.markDeliveries(
        ['new', 'known', 'stale', 'new', 'other'],
        at(MINUTE),
        at(11),
      );
      expect(firsts).toEqual([true, false, true, false, true]);
      expect(await ctx.store.markDeliveries(['other', 'stale', 'new'], at(MINUTE), at(12))).toEqual([
        false,
        false,
        false,
      ]);
      expect(await ctx.store.markDeliveries([], at(MINUTE), at(12))).toEqual([]);
    });

    it('a batch larger than one statement holds: every id first once', async () => {
      const ids = Array.from({ length: 1_234 }, (_, i) => `Ev${i}`);
      expect((await ctx.store.markDeliveries(ids, at(MINUTE), T0)).every(Boolean)).toBe(true);
      expect((await ctx.store.markDeliveries(ids.toReversed(), at(MINUTE), at(1))).some(Boolean)).toBe(false);
    });

    it('two replicas marking overlapping batches at once: each id is first exactly once', async () => {
      const other = await ctx.another({ poolSize: 5 });
      const ids = Array.from({ length: 40 }, (_, i) => `EvBatch${i}`);
      // Every batch holds a different overlap of the ids, in a different order, as deliveries
      // arrive on two sockets (the store sorts them, so the replicas cannot deadlock).
      const batches = Array.from({ length: 12 }, (_, b) => {
        const kept = ids.filter((_, i) => (i + b) % 3 !== 0);
        const rotated = [...kept.slice(b), ...kept.slice(0, b)];
        return b % 2 ? rotated.reverse() : rotated;
      });
      const results = await Promise.all(
        batches.map(async (batch, b) => {
          const firsts = await (b % 2 ? other : ctx.store).markDeliveries(batch, at(MINUTE), T0);
          return batch.filter((_, i) => firsts[i]);
        }),
      );
      const firstIds = results.flat();
      expect(firstIds.toSorted()).toEqual(ids.toSorted());
    });

    it('prunes expired ids only', async () => {
      await ctx.store.markDelivery('old', at(10), T0);
      await ctx.store.markDelivery('new', at(MINUTE), T0);
      expect(await ctx.store.pruneDeliveries(at(10))).toBe(1);
      expect(await ctx.store.pruneDeliveries(at(10))).toBe(0);
      expect(await ctx.store.markDelivery('new', at(MINUTE), at(11))).toBe(false);
      expect(await ctx.store.markDelivery('old', at(MINUTE), at(11))).toBe(true);
    });
  });
});
