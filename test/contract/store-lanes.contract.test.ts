/**
 * Store contract, lanes: a claim's filter takes vendor queues or everything else, skips the vendors
 * at their cap, keeps each queue's order, and says what it saw (the request's vendor, a job queued
 * behind, another due job of the lane) so the worker wakes no more slots than there are jobs.
 */
import { describe, expect, it } from 'vitest';
import type { VendorId } from '../../src/domain/request.ts';
import { insertJob } from '../../src/store/sql-jobs.ts';
import { type ClaimedJob, type NewJob, VENDOR_QUEUE_PREFIX } from '../../src/store/store.ts';
import { describeStores, type StoreContext } from './store-backends.ts';
import { at, newRequest, requested, T0 } from './store-fixtures.ts';

const MINUTE = 60_000;

function must(job: ClaimedJob | null): ClaimedJob {
  if (!job) throw new Error('no job was claimed');
  return job;
}

/** A request of `vendor` with a vendor job and a chat job, as the flows enqueue them. */
async function requestWithJobs(ctx: StoreContext, vendor: VendorId, vendorKinds: string[]): Promise<string> {
  const req = newRequest({ vendor });
  const jobs: NewJob[] = [
    ...vendorKinds.map((kind) => ({ kind, requestId: req.id, queue: `${VENDOR_QUEUE_PREFIX}${req.id}` })),
    { kind: 'render-card', requestId: req.id, queue: `chat:${req.id}` },
  ];
  await ctx.store.createRequest(req, requested, jobs, T0);
  return req.id;
}

describe('store contract', () => {
  describeStores('claim lanes', (ctx) => {
    it('the vendor lane takes vendor queues only, the other lane everything else (a job without a queue too)', async () => {
      const id = await requestWithJobs(ctx, 'pam360', ['precheck']);
      await ctx.store.enqueue({ kind: 'loose', requestId: null }, T0);
      const vendorJob = must(await ctx.store.claimJob('v', MINUTE, at(1), { lane: 'vendor' }));
      expect(vendorJob).toMatchObject({ kind: 'precheck', requestId: id, vendor: 'pam360' });
      expect(await ctx.store.claimJob('v', MINUTE, at(1), { lane: 'vendor' })).toBeNull();
      const first = must(await ctx.store.claimJob('o', MINUTE, at(1), { lane: 'other' }));
      const second = must(await ctx.store.claimJob('o', MINUTE, at(1), { lane: 'other' }));
      expect([first.kind, second.kind].sort()).toEqual(['loose', 'render-card']);
      expect(second).toMatchObject({ vendor: second.kind === 'loose' ? null : 'pam360' });
      expect(await ctx.store.claimJob('o', MINUTE, at(1), { lane: 'other' })).toBeNull();
    });

    it('skips the vendors at their cap, and their queue order holds', async () => {
      const pjm = await requestWithJobs(ctx, 'pjm', ['precheck', 'provision']);
      const pam = await requestWithJobs(ctx, 'pam360', ['precheck']);
      const skip = { lane: 'vendor', skipVendors: ['pjm'] } as const;
      expect(must(await ctx.store.claimJob('v', MINUTE, at(1), skip))).toMatchObject({ requestId: pam });
      expect(await ctx.store.claimJob('v', MINUTE, at(1), skip)).toBeNull();
      const precheck = must(await ctx.store.claimJob('v', MINUTE, at(1), { lane: 'vendor' }));
      expect(precheck).toMatchObject({ requestId: pjm, kind: 'precheck' });
      // Its provision waits behind it, whoever asks.
      expect(await ctx.store.claimJob('v', MINUTE, at(1), { lane: 'vendor' })).toBeNull();
      await ctx.store.completeJob(precheck.id, 'v', at(2));
      expect(must(await ctx.store.claimJob('v', MINUTE, at(2), { lane: 'vendor' })).kind).toBe('provision');
    });

    it('says whether a job of its queue waits behind it, and whether another job of the lane is due', async () => {
      await requestWithJobs(ctx, 'pjm', ['precheck', 'provision']);
      await requestWithJobs(ctx, 'pam360', ['precheck']);
      const first = must(await ctx.store.claimJob('v', MINUTE, at(1), { lane: 'vendor' }));
      expect(first).toMatchObject({ kind: 'precheck', vendor: 'pjm', queueHasMore: true, laneHasMore: true });
      const second = must(await ctx.store.claimJob('v', MINUTE, at(1), { lane: 'vendor' }));
      // The pjm provision is still queued (blocked behind its pre-check), so the lane has more.
      expect(second).toMatchObject({ vendor: 'pam360', queueHasMore: false, laneHasMore: true });
      await ctx.store.completeJob(first.id, 'v', at(2));
      const last = must(await ctx.store.claimJob('v', MINUTE, at(2), { lane: 'vendor' }));
      expect(last).toMatchObject({ kind: 'provision', queueHasMore: false, laneHasMore: false });
      // Another lane's due jobs are not this lane's news.
      const card = must(await ctx.store.claimJob('o', MINUTE, at(2), { lane: 'other' }));
      expect(card).toMatchObject({ kind: 'render-card', laneHasMore: true });
    });

    it('a re-render coalesced into a queued twin holds the twin until its change commits', async () => {
      // SQLite runs one write transaction at a time: there a claim cannot fall in that window.
      if (ctx.db.kind === 'sqlite') return;
      const render = { kind: 'render-card', requestId: null, queue: 'chat:r', dedupeKey: 'card:r' };
      await ctx.store.enqueue(render, T0);
      const driver = await ctx.db.driver();
      const during = await driver.transaction(async (tx) => {
        await insertJob(tx, render, at(1), null);
        return ctx.store.claimJob('w', MINUTE, at(2));
      });
      expect(during).toBeNull();
      expect(await ctx.store.claimJob('w', MINUTE, at(3))).toMatchObject({ kind: 'render-card', id: 1 });
      expect(await ctx.store.claimJob('w', MINUTE, at(3))).toBeNull();
    });

    it('a claim told not to reclaim leaves an expired lease alone, and the queue behind it waits', async () => {
      await ctx.store.enqueue({ kind: 'first', requestId: null, queue: 'q:a' }, T0);
      await ctx.store.enqueue({ kind: 'second', requestId: null, queue: 'q:a' }, T0);
      const first = must(await ctx.store.claimJob('dead', MINUTE, at(1)));
      expect(await ctx.store.claimJob('w', MINUTE, at(2 * MINUTE), { reclaim: false })).toBeNull();
      expect(await ctx.store.claimJob('w', MINUTE, at(2 * MINUTE))).toMatchObject({
        id: first.id,
        attempts: 2,
      });
    });
  });
});
