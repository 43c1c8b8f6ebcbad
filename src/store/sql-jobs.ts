/**
 * The job queue in the store's own database (graphile-worker's habit): enqueued in the same
 * transaction as the state change that wants it, claimed one at a time with a lease, kept alive by
 * its holder's heartbeat, finished only by the lease holder. A lease past its expiry stays with its
 * owner until another worker reclaims it.
 */

import { z } from 'zod';
import { VENDOR_IDS } from '../domain/request.ts';
import type { SqlDriver, SqlExecutor, SqlParam, SqlRow } from './sql-driver.ts';
import { integer, JOB_COLUMNS, toJob } from './sql-rows.ts';
import { type ClaimedJob, type ClaimFilter, type Job, type NewJob, VENDOR_QUEUE_PREFIX } from './store.ts';

/**
 * Insert a queued job. A unique partial index allows one queued job per dedupe key; the conflict
 * clause turns a second one into a touch of the queued twin, which is how card re-renders
 * coalesce. The touch locks the twin until this transaction commits (PostgreSQL: claims skip it
 * meanwhile), so the twin cannot run before the change that wanted it is visible; a bare DO NOTHING
 * let a twin claimed in that window render the old state, and no render followed. `notify` (the
 * dialect's NOTIFY, delivered at commit) wakes idle workers of every replica.
 */
export async function insertJob(
  tx: SqlExecutor,
  job: NewJob,
  at: Date,
  notify: string | null,
): Promise<void> {
  await tx.execute(
    `INSERT INTO jobs (kind, request_id, queue, payload, state, attempts, run_after, dedupe_key, created_at, updated_at)
     VALUES ($1, $2, $7, $3, 'queued', 0, $4, $5, $6, $6)
     ON CONFLICT (dedupe_key) WHERE state = 'queued' DO UPDATE SET updated_at = excluded.updated_at`,
    [
      job.kind,
      job.requestId,
      JSON.stringify(job.payload ?? null),
      (job.runAfter ?? at).getTime(),
      job.dedupeKey ?? null,
      at.getTime(),
      job.queue ?? null,
    ],
  );
  if (notify) await tx.query(notify);
}

export async function insertJobs(
  tx: SqlExecutor,
  jobs: readonly NewJob[],
  at: Date,
  notify: string | null,
): Promise<void> {
  for (const job of jobs) await insertJob(tx, job, at, notify);
}

/** Due: queued and its time has come, or running under a lease that has run out. */
const QUEUED = `j.state = 'queued' AND j.run_after <= $3`;
const EXPIRED = `j.state = 'running' AND j.lease_expires_at <= $3`;

/**
 * Claim the oldest due job whose queue has nothing ahead of it: no job of that queue under a live
 * lease (on any replica) and no due job of it that sorts first. So the jobs of one queue run one
 * after another, in order, across replicas. On PostgreSQL a claimer skips rows another claimer has
 * locked; a later job of the same queue stays blocked meanwhile, because the locked one is still
 * due in this claimer's snapshot. A job sorting before a due one is due itself, so "queued or
 * running and sorting first" is the whole test. Expired leases and queued jobs are looked up
 * separately, each walking its index in (runAfter, id) order, so a claim stops at the first free job.
 * A lane filter looks at the queue's name only, so a queue is wholly inside or outside it and the
 * order test above still sees every job of the queue.
 */
export async function claimJob(
  db: SqlDriver,
  owner: string,
  leaseMs: number,
  now: Date,
  filter?: ClaimFilter,
): Promise<ClaimedJob | null> {
  const params: SqlParam[] = [owner, now.getTime() + leaseMs, now.getTime()];
  const lane = laneCondition(filter, params);
  // What the claim saw around the job, for the worker's wake-ups (an index probe each). The job
  // itself is left out by id: PostgreSQL's RETURNING subqueries see the row as it was, still queued.
  const hints = `(SELECT r.vendor FROM requests r WHERE r.id = jobs.request_id) AS vendor,
       CASE WHEN EXISTS (SELECT 1 FROM jobs o WHERE o.queue = jobs.queue AND o.id <> jobs.id AND o.state = 'queued')
         THEN 1 ELSE 0 END AS queue_has_more,
       CASE WHEN EXISTS (SELECT 1 FROM jobs j WHERE ${QUEUED} AND j.id <> jobs.id${lane})
         THEN 1 ELSE 0 END AS lane_has_more`;
  const claim = (tx: SqlExecutor, due: string) =>
    tx.query(
      `UPDATE jobs
       SET state = 'running', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, updated_at = $3
       WHERE id = (
         SELECT j.id FROM jobs j
         WHERE ${due}${lane}
           AND NOT EXISTS (
             SELECT 1 FROM jobs o
             WHERE o.queue = j.queue AND o.id <> j.id AND o.state IN ('queued', 'running')
               AND ((o.run_after, o.id) < (j.run_after, j.id) OR (o.state = 'running' AND o.lease_expires_at > $3))
           )
         ORDER BY j.run_after, j.id
         LIMIT 1${db.dialect.skipLocked}
       )
       RETURNING ${JOB_COLUMNS}, ${hints}`,
      params,
    );
  const row = await db.transaction(async (tx) => {
    const [reclaimed] = filter?.reclaim === false ? [] : await claim(tx, EXPIRED);
    return reclaimed ?? (await claim(tx, QUEUED))[0];
  });
  return row ? toClaimedJob(row) : null;
}

const claimHints = z.object({
  vendor: z.enum(VENDOR_IDS).nullable(),
  queue_has_more: integer,
  lane_has_more: integer,
});
function toClaimedJob(row: SqlRow): ClaimedJob {
  const hints = claimHints.parse(row);
  return {
    ...toJob(row),
    vendor: hints.vendor,
    queueHasMore: hints.queue_has_more === 1,
    laneHasMore: hints.lane_has_more === 1,
  };
}

/** The lane's SQL condition on candidate `j`; skipped vendors' names are appended to `params`. */
function laneCondition(filter: ClaimFilter | undefined, params: SqlParam[]): string {
  if (!filter?.lane) return '';
  if (filter.lane === 'other') return ` AND (j.queue IS NULL OR j.queue NOT LIKE '${VENDOR_QUEUE_PREFIX}%')`;
  const skip = filter.skipVendors ?? [];
  const places = skip.map((vendor) => `$${params.push(vendor)}`);
  const capped = places.length
    ? ` AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = j.request_id AND r.vendor IN (${places.join(', ')}))`
    : '';
  return ` AND j.queue LIKE '${VENDOR_QUEUE_PREFIX}%'${capped}`;
}

/** Extend the lease; false when `owner` no longer holds the job (reclaimed, released or finished). */
export async function renewLease(
  db: SqlDriver,
  jobId: number,
  owner: string,
  leaseMs: number,
  now: Date,
): Promise<boolean> {
  const changed = await db.execute(
    `UPDATE jobs SET lease_expires_at = $3, updated_at = $4
     WHERE id = $1 AND state = 'running' AND lease_owner = $2`,
    [jobId, owner, now.getTime() + leaseMs, now.getTime()],
  );
  return changed > 0;
}

export async function completeJob(db: SqlDriver, jobId: number, owner: string, now: Date): Promise<boolean> {
  const changed = await db.execute(
    `UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = $3
     WHERE id = $1 AND state = 'running' AND lease_owner = $2`,
    [jobId, owner, now.getTime()],
  );
  return changed > 0;
}

export async function failJob(
  db: SqlDriver,
  jobId: number,
  owner: string,
  error: string,
  retryAt: Date | null,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const job = await heldJob(db, tx, jobId, owner);
    if (!job) return false;
    if (retryAt === null) await finish(tx, jobId, 'dead', error, now);
    else await requeue(tx, job, retryAt, error, now, 0);
    return true;
  });
}

/** Hand a running job back (a graceful stop): due at once, and the interrupted attempt not counted. */
export async function releaseJob(db: SqlDriver, jobId: number, owner: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const job = await heldJob(db, tx, jobId, owner);
    if (!job) return false;
    await requeue(tx, job, now, job.lastError ?? 'released by a stopping worker', now, 1);
    return true;
  });
}

async function heldJob(db: SqlDriver, tx: SqlExecutor, jobId: number, owner: string): Promise<Job | null> {
  const [row] = await tx.query(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND state = 'running' AND lease_owner = $2${db.dialect.forUpdate}`,
    [jobId, owner],
  );
  return row ? toJob(row) : null;
}

async function requeue(tx: SqlExecutor, job: Job, at: Date, error: string, now: Date, refund: 0 | 1) {
  const sibling = job.dedupeKey === null ? undefined : await queuedSibling(tx, job.dedupeKey);
  if (sibling !== undefined) {
    // Requeueing would make a second queued job for the key; the queued one does the work, but
    // not before this retry time (a rate limit's Retry-After holds for the twin too). It inherits
    // the error, so it knows this attempt may have sent its message (worker/send-once.ts).
    await tx.execute(
      `UPDATE jobs SET last_error = $3, run_after = CASE WHEN run_after < $2 THEN $2 ELSE run_after END
       WHERE id = $1`,
      [sibling, at.getTime(), error],
    );
    await finish(tx, job.id, 'done', `${error} (retry coalesced into job ${sibling})`, now);
    return;
  }
  await tx.execute(
    `UPDATE jobs SET state = 'queued', run_after = $2, last_error = $3, lease_owner = NULL,
     lease_expires_at = NULL, attempts = attempts - $5, updated_at = $4 WHERE id = $1`,
    [job.id, at.getTime(), error, now.getTime(), refund],
  );
}

async function finish(tx: SqlExecutor, jobId: number, state: 'done' | 'dead', error: string, now: Date) {
  await tx.execute(
    'UPDATE jobs SET state = $2, last_error = $3, lease_expires_at = NULL, updated_at = $4 WHERE id = $1',
    [jobId, state, error, now.getTime()],
  );
}

async function queuedSibling(tx: SqlExecutor, dedupeKey: string): Promise<number | undefined> {
  const [row] = await tx.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE dedupe_key = $1 AND state = 'queued'`, [
    dedupeKey,
  ]);
  return row ? toJob(row).id : undefined;
}

/** Delete done and dead jobs last touched before `before`; the audit trail is a separate table. */
export async function pruneJobs(db: SqlDriver, before: Date): Promise<number> {
  return db.execute(`DELETE FROM jobs WHERE state IN ('done', 'dead') AND updated_at < $1`, [
    before.getTime(),
  ]);
}

export async function getJob(db: SqlDriver, jobId: number): Promise<Job | null> {
  const [row] = await db.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [jobId]);
  return row ? toJob(row) : null;
}

export async function listJobs(db: SqlDriver, requestId: string): Promise<Job[]> {
  const rows = await db.query(`SELECT ${JOB_COLUMNS} FROM jobs WHERE request_id = $1 ORDER BY id`, [
    requestId,
  ]);
  return rows.map(toJob);
}
