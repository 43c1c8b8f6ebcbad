/** Upload a batch's per-user results as a CSV file into the card's thread (after the outcome reply). */
import { readFacts } from '../../domain/facts.ts';
import { RetryLaterError } from '../../errors.ts';
import { resultsCsv } from '../../flows/bulk-report.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job } from '../../store/store.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function resultsFileTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  if (!req.card) throw new RetryLaterError(2_000, 'the card is not posted yet');
  const outcome = readFacts(req.facts).outcome;
  if (!outcome?.items?.length) return;
  await ctx.messaging.replyFile(req.card, {
    vendorName: vendorEntry(ctx, req.vendor).provisioner.displayName,
    headline: outcome.headline,
    filename: `results-${req.id}.csv`,
    csv: resultsCsv(outcome.items),
  });
  ctx.log.info({ requestId: req.id, users: outcome.items.length }, 'results file uploaded');
}
