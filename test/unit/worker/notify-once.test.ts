/**
 * Each message the worker sends is its own job: when the Reveal-button DM fails, its retry does not
 * send the outcome DM again (it used to, when both DMs were one job).
 */
import { describe, expect, it } from 'vitest';
import { provisionJob } from '../../../src/flows/jobs.ts';
import { buildTasks } from '../../../src/worker/tasks/index.ts';
import { Worker } from '../../../src/worker/worker.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import { approvedRequest, FakeMessaging, FakeProvisioner, memoryStore, taskContext } from './task-fakes.ts';

describe('requester messages', () => {
  it('a failed second DM (the Reveal button) is retried alone: the outcome DM is sent once', async () => {
    const store = await memoryStore();
    const clock = new FakeClock();
    const messaging = new FakeMessaging();
    const vendor = new FakeProvisioner();
    vendor.submitSteps = [
      {
        kind: 'done',
        label: 'Created',
        headline: 'Created',
        lines: [],
        secret: { label: 'AUTHTOKEN', value: 'tok-123' },
      },
    ];
    const log = captureLogger().log;
    const worker = new Worker({
      store,
      clock,
      log,
      owner: 'w',
      concurrency: 2,
      pollMs: 5,
      leaseMs: 60_000,
      tasks: buildTasks(taskContext(store, clock, log, vendor, messaging)),
    });
    const id = await approvedRequest(store, clock, {}, (r) => [provisionJob(r)]);
    await store.setCard(id, { channel: 'C0FAKEAPPROVE', ts: '1.1' }, null);
    messaging.failNext('dm', 'secret');
    worker.start();
    try {
      await worker.idle();
      expect(messaging.lines().filter((l) => l.startsWith('dm'))).toEqual(['dm U0REQUESTER outcome']);
      clock.advance(10 * 60_000);
      await worker.idle();
      expect(messaging.lines().filter((l) => l.startsWith('dm'))).toEqual([
        'dm U0REQUESTER outcome',
        'dm U0REQUESTER secret',
      ]);
      const jobs = await store.listJobs(id);
      expect(jobs.find((j) => j.kind === 'secret-notice')).toMatchObject({ state: 'done', attempts: 2 });
      expect(jobs.find((j) => j.kind === 'notify-requester')).toMatchObject({ state: 'done', attempts: 1 });
    } finally {
      await worker.stop();
      await store.close();
    }
  });
});
