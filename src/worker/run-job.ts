/**
 * One job, start to finish, in one worker slot: run the task under a lease kept alive by a
 * heartbeat (every third of the lease, in clock time), then complete it, fail it with a next run
 * time, or — when the slot lost the lease or is stopping — leave it to whoever holds it now.
 */
import type { Clock } from '../domain/clock.ts';
import { AccessDeskError, coerceError, RetryLaterError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Job, Store } from '../store/store.ts';
import { backoffMs, RETRY_POLICIES, type RetryPolicy } from './retry-policies.ts';

/** What a task gets besides its job (graphile-worker's helpers). */
export interface TaskHelpers {
  /**
   * Fires when this worker no longer holds the job (another worker reclaimed it) or is stopping.
   * A task MUST check it before every vendor call, and pass it on to the call.
   */
  signal: AbortSignal;
}

export type Task = (job: Job, helpers: TaskHelpers) => Promise<void>;

/** The lease renewal found the job held by another worker. */
export class LeaseLostError extends AccessDeskError {
  readonly code = 'lease_lost';
  constructor(jobId: number) {
    super(`job ${jobId} was taken over by another worker`);
  }
}

/** The worker is stopping and its deadline passed: the job is handed back. */
export class WorkerStoppingError extends AccessDeskError {
  readonly code = 'worker_stopping';
  constructor() {
    super('the worker is stopping');
  }
}

/** What running a job needs of the store. */
export type JobStore = Pick<Store, 'completeJob' | 'failJob' | 'releaseJob' | 'renewLease'>;

export interface JobRunnerDeps {
  store: JobStore;
  clock: Clock;
  log: Logger;
  tasks: Readonly<Record<string, Task>>;
  leaseMs: number;
  policy?: RetryPolicy;
}

/** Runs `job`, claimed by `owner`; `abort` is the slot's controller for this job. */
export async function runJob(
  deps: JobRunnerDeps,
  job: Job,
  owner: string,
  abort: AbortController,
): Promise<void> {
  const { store, clock, tasks } = deps;
  const log = deps.log.child({ requestId: job.requestId, jobId: job.id, kind: job.kind });
  log.info({ attempt: job.attempts }, 'job claimed');
  const task = tasks[job.kind];
  if (!task) {
    log.error('no task for this job kind; giving up');
    await store.failJob(job.id, owner, `unknown job kind ${job.kind}`, null, clock.now());
    return;
  }
  const stopBeat = new AbortController();
  const beat = heartbeat(deps, job, owner, abort, stopBeat.signal, log);
  let failure: unknown = null;
  try {
    await task(job, { signal: abort.signal });
  } catch (e) {
    failure = e;
  } finally {
    stopBeat.abort();
    await beat;
  }
  const reason: unknown = abort.signal.aborted ? abort.signal.reason : null;
  if (reason instanceof LeaseLostError) {
    log.warn(
      { outcome: failure === null ? 'finished' : 'stopped' },
      'job lost its lease; the new holder runs it',
    );
    return;
  }
  if (failure === null) {
    if (await store.completeJob(job.id, owner, clock.now())) log.info('job done');
    else log.warn('job finished, but its lease had passed to another worker');
    return;
  }
  if (reason instanceof WorkerStoppingError) {
    if (await store.releaseJob(job.id, owner, clock.now()))
      log.info('job handed back: the worker is stopping');
    return;
  }
  await fail(deps, job, owner, failure, log);
}

async function fail(deps: JobRunnerDeps, job: Job, owner: string, e: unknown, log: Logger): Promise<void> {
  const now = deps.clock.now();
  if (e instanceof RetryLaterError) {
    log.info({ delayMs: e.delayMs, reason: e.message }, 'job will run again later');
    await deps.store.failJob(job.id, owner, e.message, new Date(now.getTime() + e.delayMs), now);
    return;
  }
  const policy = deps.policy ?? RETRY_POLICIES.slack;
  const err = coerceError(e);
  const retryable = job.attempts < policy.maxAttempts;
  log.error({ err, attempt: job.attempts }, retryable ? 'job failed; will retry' : 'job failed for good');
  const retryAt = retryable ? new Date(now.getTime() + backoffMs(policy, job.attempts)) : null;
  await deps.store.failJob(job.id, owner, err.message, retryAt, now);
}

/**
 * Renews the lease every third of it until `stop` fires. A refused renewal means another worker
 * reclaimed the job (this one stalled past its lease): the task's signal fires so it stops before
 * its next vendor call. A renewal that fails on the database is tried again at the next beat.
 */
async function heartbeat(
  deps: JobRunnerDeps,
  job: Job,
  owner: string,
  abort: AbortController,
  stop: AbortSignal,
  log: Logger,
): Promise<void> {
  const every = Math.max(1, Math.floor(deps.leaseMs / 3));
  for (;;) {
    try {
      await deps.clock.sleep(every, stop);
    } catch {
      return;
    }
    try {
      if (await deps.store.renewLease(job.id, owner, deps.leaseMs, deps.clock.now())) {
        log.debug('lease renewed');
        continue;
      }
    } catch (e) {
      log.warn({ err: coerceError(e) }, 'lease renewal failed; trying again at the next beat');
      continue;
    }
    if (!stop.aborted) {
      log.warn('lease renewal refused: another worker holds the job now; stopping the task');
      abort.abort(new LeaseLostError(job.id));
    }
    return;
  }
}
