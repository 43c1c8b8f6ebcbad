/** Post one reply in the card's thread: a decision, the outcome, or a note. */
import { readFacts } from '../../domain/facts.ts';
import { RetryLaterError } from '../../errors.ts';
import { threadReplySchema } from '../../flows/jobs.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { SlackMessage } from '../../slack/slack-gateway.ts';
import { renderDecisionReply, renderNoteReply, renderOutcomeReply } from '../../slack/views/messages.ts';
import type { Job } from '../../store/store.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function threadReplyTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  if (!req.card) throw new RetryLaterError(2_000, 'the card is not posted yet');
  const reply = threadReplySchema.parse(job.payload);
  const entry = vendorEntry(ctx, req.vendor);
  let msg: SlackMessage | null = null;
  if (reply.type === 'decision') {
    const approvals = await ctx.store.listApprovals(req.id);
    const mine = approvals.find((a) => a.approverId === reply.approverId);
    const approved = approvals.filter(
      (a) => a.decision === 'approve' && a.payloadHash === req.payloadHash,
    ).length;
    if (mine) msg = renderDecisionReply(mine, approved, entry.policy.requiredApprovals, req.status);
  } else if (reply.type === 'outcome') {
    const outcome = readFacts(req.facts).outcome;
    if (outcome) msg = renderOutcomeReply(entry.provisioner.displayName, req.status, outcome);
  } else {
    msg = renderNoteReply(reply, entry.policy);
  }
  if (msg) await ctx.gateway.post(req.card.channel, msg, req.card.ts);
}
