/**
 * Wake across replicas: two workers on two stores of one database, both with a poll interval far
 * longer than the test. On PostgreSQL a job enqueued through one store (no in-process wake) is run
 * by the other worker at once, woken by LISTEN/NOTIFY; on SQLite by the in-process wake.
 */
import { describe, expect, it } from 'vitest';
import { Worker } from '../../../src/worker/worker.ts';
import { describeStores } from '../../contract/store-backends.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';

const HOUR = 3_600_000;

describe('worker wake-ups', () => {
  describeStores('across replicas', (ctx) => {
    it('a job enqueued by replica A is run by idle replica B at once, not after its poll interval', async () => {
      const clock = new FakeClock();
      const storeB = await ctx.another();
      let ran: (kind: string) => void = () => {};
      const done = new Promise<string>((resolve) => {
        ran = resolve;
      });
      const b = new Worker({
        store: storeB,
        clock,
        log: captureLogger().log,
        owner: 'B',
        concurrency: 2,
        pollMs: HOUR,
        leaseMs: 60_000,
        tasks: { approved: async (job) => ran(job.kind) },
      });
      const unwatch = await storeB.watchJobs(() => b.wake());
      b.start();
      try {
        await b.idle();
        await ctx.store.enqueue({ kind: 'approved', requestId: null }, clock.now());
        // SQLite is one process: there the flows' in-process wake is what tells the worker.
        if (ctx.db.kind === 'sqlite') b.wake();
        expect(await done).toBe('approved');
      } finally {
        await unwatch();
        await b.stop();
      }
    });
  });
});
