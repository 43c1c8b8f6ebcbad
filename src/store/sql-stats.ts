/** Aggregates read on a metrics scrape: requests per vendor and status, the job queue per kind. */
import { z } from 'zod';
import { REQUEST_STATUSES, VENDOR_IDS } from '../domain/request.ts';
import type { SqlExecutor } from './sql-driver.ts';
import { integer } from './sql-rows.ts';
import type { JobQueueStat, RequestCount } from './store.ts';

const requestCountRow = z.object({
  vendor: z.enum(VENDOR_IDS),
  status: z.enum(REQUEST_STATUSES),
  n: integer,
});

export async function countRequests(db: SqlExecutor): Promise<RequestCount[]> {
  const rows = await db.query('SELECT vendor, status, COUNT(*) AS n FROM requests GROUP BY vendor, status');
  return rows.map((row) => {
    const r = requestCountRow.parse(row);
    return { vendor: r.vendor, status: r.status, count: r.n };
  });
}

const queueRow = z.object({ kind: z.string(), n: integer, oldest: integer.nullable() });

/** Queued jobs; the oldest age counts only jobs already due, so a scheduled retry is not "waiting". */
export async function jobQueueStats(db: SqlExecutor, now: Date): Promise<JobQueueStat[]> {
  const rows = await db.query(
    `SELECT kind, COUNT(*) AS n, MIN(CASE WHEN run_after <= $1 THEN run_after END) AS oldest
     FROM jobs WHERE state = 'queued' GROUP BY kind`,
    [now.getTime()],
  );
  return rows.map((row) => {
    const r = queueRow.parse(row);
    return {
      kind: r.kind,
      depth: r.n,
      oldestAgeMs: r.oldest === null ? 0 : Math.max(0, now.getTime() - r.oldest),
    };
  });
}
