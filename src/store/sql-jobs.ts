/**
 * The job queue in the store's own database (graphile-worker's habit): enqueued in the same
 * transaction as the state change that wants it, claimed with a lease, finished only by the lease
 * holder. A lease past its expiry stays with its owner until another worker reclaims it.
 */
import type { SqlDriver, SqlExecutor } from './sql-driver.ts';
import { JOB_COLUMNS, toJob } from './sql-rows.ts';
import type { Job, NewJob } from './store.ts';

/**
 * Insert a queued job. A unique partial index allows one queued job per dedupe key; the conflict
 * clause turns a second one into nothing, which is how card re-renders coalesce.
 */
export async function insertJob(tx: SqlExecutor, job: NewJob, at: Date): Promise<void> {
  await tx.execute(
    `INSERT INTO jobs (kind, request_id, payload, state, attempts, run_after, dedupe_key, created_at, updated_at)
     VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $6)
     ON CONFLICT DO NOTHING`,
    [
      job.kind,
      job.requestId,
      JSON.stringify(job.payload ?? null),
      (job.runAfter ?? at).getTime(),
      job.dedupeKey ?? null,
      at.getTime(),
    ],
  );
}

export async function insertJobs(tx: SqlExecutor, jobs: readonly NewJob[], at: Date): Promise<void> {
  for (const job of jobs) await insertJob(tx, job, at);
}

export async function claimJobs(
  db: SqlDriver,
  owner: string,
  leaseMs: number,
  limit: number,
  now: Date,
): Promise<Job[]> {
  const rows = await db.transaction((tx) =>
    tx.query(
      `UPDATE jobs
       SET state = 'running', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, updated_at = $3
       WHERE id IN (
         SELECT id FROM jobs
         WHERE (state = 'queued' AND run_after <= $3) OR (state = 'running' AND lease_expires_at <= $3)
         ORDER BY run_after, id
         LIMIT $4${db.dialect.skipLocked}
       )
       RETURNING ${JOB_COLUMNS}`,
      [owner, now.getTime() + leaseMs, now.getTime(), Math.max(0, Math.trunc(limit))],
    ),
  );
  // RETURNING promises no order.
  return rows.map(toJob).sort((a, b) => a.runAfter.getTime() - b.runAfter.getTime() || a.id - b.id);
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
    const [row] = await tx.query(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 AND state = 'running' AND lease_owner = $2${db.dialect.forUpdate}`,
      [jobId, owner],
    );
    if (!row) return false;
    const job = toJob(row);
    if (retryAt === null) {
      await finish(tx, jobId, 'dead', error, now);
      return true;
    }
    const sibling = job.dedupeKey === null ? undefined : await queuedSibling(tx, job.dedupeKey);
    if (sibling !== undefined) {
      // Requeueing would make a second queued job for the key; the queued one does the work, but
      // not before this retry time (a rate limit's Retry-After holds for the twin too).
      await tx.execute(`UPDATE jobs SET run_after = $2 WHERE id = $1 AND run_after < $2`, [
        sibling,
        retryAt.getTime(),
      ]);
      await finish(tx, jobId, 'done', `${error} (retry coalesced into job ${sibling})`, now);
      return true;
    }
    await tx.execute(
      `UPDATE jobs SET state = 'queued', run_after = $2, last_error = $3, lease_owner = NULL,
       lease_expires_at = NULL, updated_at = $4 WHERE id = $1`,
      [jobId, retryAt.getTime(), error, now.getTime()],
    );
    return true;
  });
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
