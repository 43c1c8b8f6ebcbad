/** DM the requester the final outcome (the Reveal button, when a credential waits, is its own job). */
import { readFacts } from '../../domain/facts.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job } from '../../store/store.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function notifyRequesterTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  const { provisioner } = vendorEntry(ctx, req.vendor);
  const { outcome, justification } = readFacts(req.facts);
  const denial = (await ctx.store.listApprovals(req.id)).find((a) => a.decision === 'deny');
  await ctx.messaging.dm(req.requesterId, {
    type: 'outcome',
    vendorName: provisioner.displayName,
    subject: provisioner.describe(req.payload).subject,
    status: req.status,
    ...(outcome ? { outcome } : {}),
    ...(justification ? { justification } : {}),
    ...(denial ? { deniedBy: denial.approverId, denyReason: denial.reason ?? '' } : {}),
    cardLink: req.card ? await ctx.messaging.permalink(req.card) : null,
  });
}
