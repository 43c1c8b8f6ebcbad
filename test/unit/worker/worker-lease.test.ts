/**
 * Lease heartbeat and hand-over, on both store engines: a long job keeps its lease while it runs;
 * a worker that stalled past its lease loses the job and stops before any vendor call; a graceful
 * stop hands its jobs back at once.
 */
import { describe, expect, it } from 'vitest';
import { provisionJob } from '../../../src/flows/jobs.ts';
import type { Store } from '../../../src/store/store.ts';
import { buildTasks } from '../../../src/worker/tasks/index.ts';
import { type Task, Worker } from '../../../src/worker/worker.ts';
import { describeStores } from '../../contract/store-backends.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import { approvedRequest, FakeMessaging, FakeProvisioner, gate, taskContext, until } from './task-fakes.ts';

const LEASE_MS = 1_000;

function worker(
  store: Store,
  clock: FakeClock,
  owner: string,
  tasks: Record<string, Task>,
  log = captureLogger().log,
) {
  return new Worker({ store, clock, log, tasks, owner, concurrency: 1, pollMs: 5, leaseMs: LEASE_MS });
}

/** The store, except that the named calls wait for the test (a stalled process, seen from outside). */
function stalling(store: Store, holds: { transitionTo?: string; renew?: ReturnType<typeof gate> }) {
  const held = holds.transitionTo ? gate() : null;
  const proxy = new Proxy(store, {
    get(target, prop) {
      if (prop === 'transition' && held)
        return async (input: Parameters<Store['transition']>[0]) => {
          const result = await target.transition(input);
          if (input.to === holds.transitionTo && holds.transitionTo) {
            holds.transitionTo = undefined;
            held.arrive();
            await held.promise;
          }
          return result;
        };
      if (prop === 'renewLease' && holds.renew) {
        const renew = holds.renew;
        return async (...args: Parameters<Store['renewLease']>) => {
          renew.arrive();
          await renew.promise;
          return target.renewLease(...args);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, held };
}

describe('worker leases', () => {
  describeStores('heartbeat', (ctx) => {
    it('lease 1 s, a task that runs 4 s, two workers: it runs once, its lease renewed every third of a second', async () => {
      const clock = new FakeClock();
      await ctx.store.enqueue({ kind: 'long', requestId: null }, clock.now());
      const runs: string[] = [];
      const finish = gate();
      const long =
        (who: string): Task =>
        async () => {
          runs.push(who);
          await finish.promise;
        };
      const a = worker(ctx.store, clock, 'A', { long: long('A') });
      const b = worker(await ctx.another(), clock, 'B', { long: long('B') });
      a.start();
      await until('A to start the job', async () => runs.length === 1);
      b.start();
      const job = await until('the running job', async () => {
        const j = await ctx.store.getJob(1);
        return j?.state === 'running' ? j : null;
      });
      let renewals = 0;
      for (let step = 0; step < 12; step++) {
        await until('the heartbeat to be armed', async () => clock.sleepers > 0);
        clock.advance(Math.ceil(LEASE_MS / 3));
        const expected = clock.now().getTime() + LEASE_MS;
        await until(
          'the lease to be renewed',
          async () => (await ctx.store.getJob(job.id))?.leaseExpiresAt?.getTime() === expected,
        );
        renewals++;
        await b.idle();
      }
      expect(clock.now().getTime() - job.runAfter.getTime()).toBeGreaterThanOrEqual(4_000);
      finish.open();
      await until('the job to be done', async () => (await ctx.store.getJob(job.id))?.state === 'done');
      await Promise.all([a.stop(), b.stop()]);
      expect(runs).toEqual(['A']);
      expect(renewals).toBe(12);
      expect(await ctx.store.getJob(job.id)).toMatchObject({ attempts: 1, leaseOwner: 'A/0' });
    });

    it('a worker whose renewal is refused (another reclaimed the job) stops before calling the vendor', async () => {
      const clock = new FakeClock();
      const id = await approvedRequest(ctx.store, clock, {}, (r) => [provisionJob(r)]);
      const renew = gate();
      const stalled = stalling(ctx.store, { transitionTo: 'PROVISIONING', renew });
      const vendorA = new FakeProvisioner();
      const vendorB = new FakeProvisioner();
      const logA = captureLogger();
      const a = worker(
        stalled.store,
        clock,
        'A',
        buildTasks(taskContext(stalled.store, clock, logA.log, vendorA, new FakeMessaging())),
        logA.log,
      );
      a.start();
      // A moved the request to PROVISIONING and is held just before its pre-check …
      await stalled.held?.reached;
      // … and stalls past its lease: its renewal does not get through in time.
      await until('A’s heartbeat to be armed', async () => clock.sleepers > 0);
      clock.advance(LEASE_MS + 1);
      await renew.reached;

      const storeB = await ctx.another();
      const log = captureLogger().log;
      const b = worker(
        storeB,
        clock,
        'B',
        buildTasks(taskContext(storeB, clock, log, vendorB, new FakeMessaging())),
      );
      b.start();
      await until('B to provision', async () => (await ctx.store.getRequest(id)).status === 'SUCCEEDED');
      await b.stop();

      renew.open();
      await until('A to learn it lost the lease', async () => logA.text().includes('lease renewal refused'));
      stalled.held?.open();
      await a.idle();
      await a.stop();
      expect(logA.text()).toContain('job lost its lease');
      expect(vendorB.calls).toEqual(['precheck', 'submit']);
      expect(vendorA.calls).toEqual([]);
      const [job] = await ctx.store.listJobs(id);
      expect(job).toMatchObject({ kind: 'provision', state: 'done', attempts: 2, leaseOwner: 'B/0' });
    });

    it('a graceful stop past its deadline aborts the task and hands the job back: another store takes it at once', async () => {
      const clock = new FakeClock();
      await ctx.store.enqueue({ kind: 'stuck', requestId: null }, clock.now());
      let started = () => {};
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      const stuck: Task = (_job, { signal }) =>
        new Promise((_resolve, reject) => {
          started();
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      const a = worker(ctx.store, clock, 'A', { stuck });
      a.start();
      await running;
      await a.stop({ deadlineMs: 0 });
      const other = await ctx.another();
      expect(await other.claimJob('B', LEASE_MS, clock.now())).toMatchObject({ kind: 'stuck', attempts: 1 });
    });
  });
});
