/** DM the requester a final outcome, and — when a credential waits — the one-time Reveal button. */
import { readFacts } from '../../domain/facts.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import { renderRequesterDm, renderSecretDm } from '../../slack/views/messages.ts';
import type { Job } from '../../store/store.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function notifyRequesterTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  const entry = vendorEntry(ctx, req.vendor);
  const facts = readFacts(req.facts);
  const subject = entry.provisioner.describe(req.payload).subject;
  const denial = (await ctx.store.listApprovals(req.id)).find((a) => a.decision === 'deny');
  await ctx.gateway.dm(
    req.requesterId,
    renderRequesterDm({
      vendorName: entry.provisioner.displayName,
      subject,
      status: req.status,
      ...(facts.outcome ? { outcome: facts.outcome } : {}),
      ...(denial ? { deniedBy: denial.approverId, denyReason: denial.reason ?? '' } : {}),
      cardLink: req.card ? await ctx.gateway.permalink(req.card) : null,
    }),
  );
  if (facts.secretLabel && facts.secretExpiresAt && (await ctx.store.hasSecret(req.id, ctx.clock.now()))) {
    await ctx.gateway.dm(
      req.requesterId,
      renderSecretDm(req.id, subject, facts.secretLabel, new Date(facts.secretExpiresAt)),
    );
  }
}
