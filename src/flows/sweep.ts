/**
 * Periodic housekeeping, driven by the clock: expire requests nobody decided, remind approvers,
 * delete credentials nobody revealed, forget old Slack delivery ids and old finished jobs (the
 * audit trail is kept).
 */
import { factsPatch, readFacts } from '../domain/facts.ts';
import type { VendorId } from '../domain/request.ts';
import { TransitionConflictError } from '../errors.ts';
import type { FlowDeps } from './deps.ts';
import { notifyJob, renderCardJob, replyJob } from './jobs.ts';

const HOUR = 3_600_000;
/** Requests read per query; the sweep pages through every one due, oldest first, with no cap. */
const PAGE = 200;

export interface SweepReport {
  expired: number;
  reminded: number;
  secretsPurged: number;
  deliveriesPruned: number;
  jobsPruned: number;
}

export interface SweepOptions {
  /** Done and dead jobs older than this are deleted (default 30 days). */
  jobRetentionMs?: number;
}

export async function sweep(deps: FlowDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const now = deps.clock.now();
  const report: SweepReport = {
    expired: 0,
    reminded: 0,
    secretsPurged: 0,
    deliveriesPruned: 0,
    jobsPruned: 0,
  };
  for (const [vendor, entry] of deps.vendors) {
    const dueAfterHours = Math.min(entry.expireAfterHours, ...entry.remindAfterHours);
    const dueBefore = new Date(now.getTime() - dueAfterHours * HOUR + 1);
    for await (const req of pendingOldestFirst(deps, vendor, dueBefore)) {
      const ageHours = (now.getTime() - req.createdAt.getTime()) / HOUR;
      const facts = readFacts(req.facts);
      try {
        if (ageHours >= entry.expireAfterHours) {
          await deps.store.transition({
            id: req.id,
            expected: { status: req.status, version: req.version },
            to: 'EXPIRED',
            audit: { actor: 'system', action: 'expired' },
            jobs: [renderCardJob(req.id), notifyJob(req.id)],
            at: now,
          });
          report.expired++;
          continue;
        }
        const due = entry.remindAfterHours.filter(
          (h) => ageHours >= h && !(facts.remindersSent ?? []).includes(h),
        );
        if (due.length === 0) continue;
        await deps.store.transition({
          id: req.id,
          expected: { status: req.status, version: req.version },
          to: 'PENDING',
          facts: factsPatch({ remindersSent: [...(facts.remindersSent ?? []), ...due] }),
          audit: { actor: 'system', action: 'reminded' },
          jobs: [
            replyJob(req.id, {
              type: 'note',
              toApprovers: true,
              text: `This request has been waiting ${Math.floor(ageHours)} h for a decision.`,
            }),
          ],
          at: now,
        });
        report.reminded++;
      } catch (e) {
        // Someone decided meanwhile: nothing to expire or remind.
        if (!(e instanceof TransitionConflictError)) throw e;
      }
    }
  }
  report.secretsPurged = await deps.store.purgeSecrets(now);
  report.deliveriesPruned = await deps.store.pruneDeliveries(now);
  report.jobsPruned = await deps.store.pruneJobs(
    new Date(now.getTime() - (options.jobRetentionMs ?? 30 * 24 * HOUR)),
  );
  if (report.expired || report.reminded) deps.wake();
  return report;
}

/** Every PENDING request of the vendor created before `before` (exclusive), oldest first, page by page. */
async function* pendingOldestFirst(deps: FlowDeps, vendor: VendorId, before: Date) {
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page = await deps.store.listRequests({
      vendor,
      statuses: ['PENDING'],
      createdBefore: before,
      oldestFirst: true,
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    yield* page;
    const last = page.at(-1);
    if (page.length < PAGE || !last) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}
