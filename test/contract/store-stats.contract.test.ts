/** Store contract, part 3: the aggregates a metrics scrape reads — on every back end. */
import { describe, expect, it } from 'vitest';
import { describeStores } from './store-backends.ts';
import { at, newRequest, requested, T0 } from './store-fixtures.ts';

const MINUTE = 60_000;

describe('store contract', () => {
  describeStores('stats', (ctx) => {
    it('counts requests per vendor and status', async () => {
      const a = newRequest({ vendor: 'pjm' });
      await ctx.store.createRequest(a, requested, [], T0);
      await ctx.store.createRequest(newRequest({ vendor: 'pjm' }), requested, [], T0);
      await ctx.store.createRequest(newRequest({ vendor: 'cert' }), requested, [], T0);
      await ctx.store.transition({
        id: a.id,
        expected: { status: 'PENDING', version: 1 },
        to: 'CANCELLED',
        audit: { actor: 'UREQUESTER', action: 'cancelled' },
        at: at(1),
      });
      const counts = await ctx.store.countRequests();
      expect(counts).toHaveLength(3);
      expect(counts).toEqual(
        expect.arrayContaining([
          { vendor: 'pjm', status: 'PENDING', count: 1 },
          { vendor: 'pjm', status: 'CANCELLED', count: 1 },
          { vendor: 'cert', status: 'PENDING', count: 1 },
        ]),
      );
    });

    it('reports queued jobs per kind, and how long the oldest due one has waited', async () => {
      await ctx.store.enqueue({ kind: 'precheck', requestId: null, runAfter: at(-1) }, T0);
      await ctx.store.enqueue({ kind: 'render-card', requestId: null }, T0);
      await ctx.store.enqueue({ kind: 'render-card', requestId: null }, at(MINUTE));
      await ctx.store.enqueue({ kind: 'provision', requestId: null, runAfter: at(60 * MINUTE) }, T0);
      const claimed = await ctx.store.claimJob('w', MINUTE, T0);
      expect(claimed?.kind).toBe('precheck');
      const stats = await ctx.store.jobQueueStats(at(5 * MINUTE));
      expect(stats.sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
        { kind: 'provision', depth: 1, oldestAgeMs: 0 },
        { kind: 'render-card', depth: 2, oldestAgeMs: 5 * MINUTE },
      ]);
    });
  });
});
