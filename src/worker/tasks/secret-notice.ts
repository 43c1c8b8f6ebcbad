/** DM the one-time Reveal button while the credential still waits (revealed or purged: nothing to say). */
import { readFacts } from '../../domain/facts.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job } from '../../store/store.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function secretNoticeTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  const facts = readFacts(req.facts);
  if (!facts.secretLabel || !facts.secretExpiresAt) return;
  if (!(await ctx.store.hasSecret(req.id, ctx.clock.now()))) return;
  const { provisioner } = vendorEntry(ctx, req.vendor);
  await ctx.messaging.dm(req.requesterId, {
    type: 'secret',
    requestId: req.id,
    subject: provisioner.describe(req.payload).subject,
    label: facts.secretLabel,
    expiresAt: new Date(facts.secretExpiresAt),
  });
}
