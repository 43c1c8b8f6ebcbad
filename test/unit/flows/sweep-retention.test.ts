/** Retention in the sweep: finished jobs past the setting and expired delivery ids go; the audit stays. */
import { describe, expect, it } from 'vitest';
import { sweep } from '../../../src/flows/sweep.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import {
  approvedRequest,
  FakeMessaging,
  FakeProvisioner,
  memoryStore,
  taskContext,
} from '../worker/task-fakes.ts';

const DAY = 86_400_000;

describe('sweep retention', () => {
  it('prunes done and dead jobs older than the retention (default 30 days) and expired deliveries', async () => {
    const store = await memoryStore();
    const clock = new FakeClock();
    const deps = taskContext(store, clock, captureLogger().log, new FakeProvisioner(), new FakeMessaging());
    try {
      const id = await approvedRequest(store, clock, {}, (r) => [
        { kind: 'old', requestId: r },
        { kind: 'dead', requestId: r },
      ]);
      for (const finish of ['complete', 'fail'] as const) {
        const job = await store.claimJob('w', 60_000, clock.now());
        if (!job) throw new Error('nothing to claim');
        if (finish === 'complete') await store.completeJob(job.id, 'w', clock.now());
        else await store.failJob(job.id, 'w', 'gave up', null, clock.now());
      }
      await store.markDelivery('Ev1', new Date(clock.now().getTime() + 3_600_000), clock.now());
      clock.advance(10 * DAY);
      await store.enqueue({ kind: 'recent', requestId: id }, clock.now());
      const recent = await store.claimJob('w', 60_000, clock.now());
      await store.completeJob(recent?.id ?? 0, 'w', clock.now());

      clock.advance(21 * DAY);
      const report = await sweep(deps);
      expect(report).toMatchObject({ jobsPruned: 2, deliveriesPruned: 1 });
      expect((await store.listJobs(id)).map((j) => j.kind)).toEqual(['recent']);
      expect((await store.listAudit(id)).map((a) => a.action)).toEqual(['requested', 'approved']);
      expect((await sweep(deps, { jobRetentionMs: DAY })).jobsPruned).toBe(1);
    } finally {
      await store.close();
    }
  });
});
