/** Post one reply in the card's thread: a decision, the outcome, or a note. */
import { readFacts } from '../../domain/facts.ts';
import { RetryLaterError } from '../../errors.ts';
import { threadReplySchema } from '../../flows/jobs.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job } from '../../store/store.ts';
import type { ThreadContent } from '../messaging.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function threadReplyTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  if (!req.card) throw new RetryLaterError(2_000, 'the card is not posted yet');
  const reply = threadReplySchema.parse(job.payload);
  const entry = vendorEntry(ctx, req.vendor);
  let content: ThreadContent | null = null;
  if (reply.type === 'decision') {
    const approvals = await ctx.store.listApprovals(req.id);
    const mine = approvals.find((a) => a.approverId === reply.approverId);
    const approvedCount = approvals.filter(
      (a) => a.decision === 'approve' && a.payloadHash === req.payloadHash,
    ).length;
    if (mine) {
      const required = entry.policy.requiredApprovals;
      content = { type: 'decision', approval: mine, approvedCount, required, status: req.status };
    }
  } else if (reply.type === 'outcome') {
    const outcome = readFacts(req.facts).outcome;
    if (outcome)
      content = { type: 'outcome', vendorName: entry.provisioner.displayName, status: req.status, outcome };
  } else {
    content = { type: 'note', note: reply, policy: entry.policy };
  }
  if (content) await ctx.messaging.reply(req.card, content);
}
