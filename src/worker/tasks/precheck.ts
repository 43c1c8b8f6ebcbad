/** Ask the vendor whether the user already exists, so approvers see it on the card before deciding. */
import { factsPatch } from '../../domain/facts.ts';
import { TransitionConflictError, VendorError } from '../../errors.ts';
import { renderCardJob } from '../../flows/jobs.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job } from '../../store/store.ts';
import { withDeadline } from '../../vendors/call-deadline.ts';
import type { PrecheckResult } from '../../vendors/provisioner.ts';
import type { TaskHelpers } from '../worker.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function precheckTask(ctx: TaskContext, job: Job, { signal }: TaskHelpers): Promise<void> {
  const id = requestIdOf(job);
  const first = await ctx.store.getRequest(id);
  if (first.status !== 'PENDING') return;
  const { provisioner } = vendorEntry(ctx, first.vendor);
  let result: PrecheckResult;
  signal.throwIfAborted();
  try {
    result = await withDeadline(60_000, signal, (s) => provisioner.precheck(first.payload, s));
  } catch (e) {
    if (!(e instanceof VendorError) || signal.aborted) throw e;
    result = { state: 'unknown', notes: [`The check at ${provisioner.displayName} failed: ${e.userText}`] };
  }
  // One re-read covers an approval recorded meanwhile; a decided request needs no pre-check.
  for (let tries = 0; tries < 2; tries++) {
    const req = tries === 0 ? first : await ctx.store.getRequest(id);
    // Edited meanwhile: this finding is about the old payload, and the edit queued its own check.
    if (req.status !== 'PENDING' || req.payloadHash !== first.payloadHash) return;
    try {
      await ctx.store.transition({
        id,
        expected: { status: 'PENDING', version: req.version },
        to: 'PENDING',
        facts: factsPatch({ precheck: result }),
        audit: { actor: 'system', action: 'prechecked', detail: result.state },
        jobs: [renderCardJob(id)],
        at: ctx.clock.now(),
      });
      ctx.wake();
      return;
    } catch (e) {
      if (!(e instanceof TransitionConflictError)) throw e;
    }
  }
}
