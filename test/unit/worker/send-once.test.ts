/**
 * Exactly-once messages across a job's attempts (worker/send-once.ts), over the fake chat and the
 * real store and worker: an attempt that sent and then died before its completion was committed is
 * followed by one that finds the message by its key and sends nothing; a first attempt sends at
 * once without looking.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from '../../../src/domain/request.ts';
import { notifyJob, renderCardJob, replyJob, resultsFileJob } from '../../../src/flows/jobs.ts';
import type { NewJob, Store } from '../../../src/store/store.ts';
import { fileName, mayHaveSent, messageKey } from '../../../src/worker/send-once.ts';
import { buildTasks } from '../../../src/worker/tasks/index.ts';
import { Worker } from '../../../src/worker/worker.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import {
  APPROVAL_CHANNEL,
  approvedRequest,
  FakeMessaging,
  FakeProvisioner,
  memoryStore,
  taskContext,
} from './task-fakes.ts';

const LEASE_MS = 30_000;
const CARD = { channel: APPROVAL_CHANNEL, ts: '1699999999.000001' };

/** A live worker, from start until it has nothing left to do. */
async function runUntilIdle(worker: Worker): Promise<void> {
  worker.start();
  try {
    await worker.idle();
  } finally {
    await worker.stop();
  }
}

describe('messages sent once across attempts', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  /** A store of the test's own, so a claim finds only the test's jobs. */
  const freshStore = async () => {
    const store = await memoryStore();
    stores.push(store);
    return store;
  };

  /**
   * Enqueues `job` for a fresh request, runs its first attempt to its end as a process that is then
   * SIGKILLed would (claimed, task run, never completed), lets the lease expire, and runs a live
   * worker until it is idle. Returns the chat and the request.
   */
  async function firstAttemptDies(
    job: (id: string) => NewJob,
    opts: { withCard?: boolean; sendFails?: boolean; facts?: Record<string, Json> } = {},
  ) {
    const store = await freshStore();
    const clock = new FakeClock();
    const log = captureLogger();
    const chat = new FakeMessaging();
    const tasks = buildTasks(taskContext(store, clock, log.log, new FakeProvisioner(), chat));
    // The process dies right after Slack's answer: the card's location is never saved.
    const killedStore = new Proxy(store, {
      get(target, prop) {
        if (prop === 'setCard') return () => Promise.reject(new Error('SIGKILL'));
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const killedTasks = buildTasks(taskContext(killedStore, clock, log.log, new FakeProvisioner(), chat));
    const id = await approvedRequest(store, clock, opts.facts);
    if (opts.withCard) await store.setCard(id, CARD, null);
    await store.enqueue(job(id), clock.now());
    const dying = await store.claimJob('killed/0', LEASE_MS, clock.now());
    if (!dying) throw new Error('no job to claim');
    // Slack accepted the message (or, with sendFails, the process died before it was sent) …
    if (opts.sendFails)
      chat.failNext(
        ({ 'render-card': 'post', 'thread-reply': 'reply', 'results-file': 'file' } as const)[dying.kind] ??
          'dm',
      );
    await killedTasks[dying.kind]!(dying, { signal: new AbortController().signal }).catch(() => undefined);
    const sentByFirst = chat.lines();
    const findsByFirst = [...chat.finds];
    // … and the process died before it could complete the job. Its lease runs out.
    clock.advance(LEASE_MS + 1);
    await runUntilIdle(
      new Worker({
        store,
        clock,
        log: log.log,
        tasks,
        owner: 'live',
        concurrency: 1,
        pollMs: 5,
        leaseMs: LEASE_MS,
      }),
    );
    const after = (await store.listJobs(id)).find((j) => j.id === dying.id);
    return {
      chat,
      id,
      store,
      sentByFirst,
      findsByFirst,
      after,
      key: messageKey(dying),
      jobId: dying.id,
      log,
    };
  }

  /** A batch's outcome: the results file lists each user. */
  const batchDone = {
    outcome: {
      kind: 'done',
      headline: '2 of 2 users created',
      lines: [],
      items: [
        { subject: 'user1', ok: true, id: '1001', messages: [] },
        { subject: 'user2', ok: true, id: '1002', messages: [] },
      ],
    },
  };

  it('a thread reply posted by an attempt that died is not posted again by the next one', async () => {
    const run = await firstAttemptDies((id) => replyJob(id, { type: 'note', text: 'Reminder' }), {
      withCard: true,
    });
    expect(run.findsByFirst).toEqual([]);
    expect(run.sentByFirst).toEqual(['reply note']);
    expect(run.chat.lines()).toEqual(['reply note']);
    expect(run.chat.finds).toEqual([`thread ${CARD.ts} ${run.key}`]);
    expect(run.after).toMatchObject({ state: 'done', attempts: 2 });
    expect(run.log.text()).toContain('already sent by an earlier attempt');
  });

  it('an outcome DM sent by an attempt that died is not sent again', async () => {
    const run = await firstAttemptDies(notifyJob, { withCard: true });
    expect(run.chat.lines()).toEqual(['dm U0REQUESTER outcome']);
    expect(run.chat.finds).toEqual([`dm U0REQUESTER ${run.key}`]);
    expect(run.after).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a card posted by an attempt that died before saving it is found and saved, not posted again', async () => {
    const run = await firstAttemptDies(renderCardJob);
    // One card; saving it queues the requester's notice, which follows.
    expect(run.chat.lines()).toEqual(['post card APPROVED', 'dm U0REQUESTER submitted']);
    const [first] = run.chat.sent;
    const { card } = await run.store.getRequest(run.id);
    expect(card).toEqual({ channel: APPROVAL_CHANNEL, ts: first?.ts });
    expect(run.chat.finds).toEqual([`${APPROVAL_CHANNEL} card:${run.id}`]);
    expect(run.after).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('an attempt that died before Slack took the message: the next one looks, finds nothing, sends once', async () => {
    const run = await firstAttemptDies((id) => replyJob(id, { type: 'note', text: 'Retry' }), {
      withCard: true,
      sendFails: true,
    });
    expect(run.sentByFirst).toEqual([]);
    expect(run.chat.finds).toEqual([`thread ${CARD.ts} ${run.key}`]);
    expect(run.chat.lines()).toEqual(['reply note']);
    expect(run.after).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a results file uploaded by an attempt that died is not uploaded again: the next finds it by name in the thread', async () => {
    const run = await firstAttemptDies(resultsFileJob, { withCard: true, facts: batchDone });
    const name = `results-${run.id}-job${run.jobId}.csv`;
    expect(run.findsByFirst).toEqual([]);
    expect(run.sentByFirst).toEqual([`file ${name}`]);
    expect(run.chat.lines()).toEqual([`file ${name}`]);
    expect(run.chat.finds).toEqual([`thread ${CARD.ts} file ${name}`]);
    expect(run.after).toMatchObject({ state: 'done', attempts: 2 });
    expect(run.log.text()).toContain('already sent by an earlier attempt');
  });

  it('a results file the dead attempt never uploaded: the next looks, finds nothing, uploads it once', async () => {
    const run = await firstAttemptDies(resultsFileJob, { withCard: true, facts: batchDone, sendFails: true });
    const name = `results-${run.id}-job${run.jobId}.csv`;
    expect(run.sentByFirst).toEqual([]);
    expect(run.chat.finds).toEqual([`thread ${CARD.ts} file ${name}`]);
    expect(run.chat.lines()).toEqual([`file ${name}`]);
    expect(run.after).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a job’s file name carries its id, the same on every attempt, and stays readable', () => {
    expect(fileName('results-R1.csv', { id: 42 })).toBe('results-R1-job42.csv');
    expect(fileName('results', { id: 7 })).toBe('results-job7');
  });

  it('a first attempt sends at once, without looking (one Slack call)', async () => {
    const store = await freshStore();
    const clock = new FakeClock();
    const chat = new FakeMessaging();
    const log = captureLogger().log;
    const tasks = buildTasks(taskContext(store, clock, log, new FakeProvisioner(), chat));
    const id = await approvedRequest(store, clock);
    await store.setCard(id, CARD, null);
    await store.enqueue(notifyJob(id), clock.now());
    await runUntilIdle(
      new Worker({ store, clock, log, tasks, owner: 'w', concurrency: 1, pollMs: 5, leaseMs: LEASE_MS }),
    );
    expect(chat.lines()).toEqual(['dm U0REQUESTER outcome']);
    expect(chat.finds).toEqual([]);
    expect(chat.sent[0]?.key).toBe(messageKey((await store.listJobs(id))[0]!));
  });

  it('looks first exactly when an earlier attempt may have sent: it ran, was handed back, or inherited a twin’s failure', () => {
    expect(mayHaveSent({ attempts: 1, lastError: null })).toBe(false);
    expect(mayHaveSent({ attempts: 2, lastError: null })).toBe(true);
    expect(mayHaveSent({ attempts: 1, lastError: 'released by a stopping worker' })).toBe(true);
    expect(mayHaveSent({ attempts: 1, lastError: 'slack 500' })).toBe(true);
  });
});
