/**
 * Re-render the whole card from the stored request; repost and relink if Slack lost the message.
 * A render identical to the one last sent (its hash is kept with the card) sends nothing.
 */
import { readFacts } from '../../domain/facts.ts';
import { RetryLaterError } from '../../errors.ts';
import { submittedNoticeJob } from '../../flows/jobs.ts';
import { expiresAt, vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job } from '../../store/store.ts';
import { type CardContent, MessageGoneError } from '../messaging.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function renderCardTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  const entry = vendorEntry(ctx, req.vendor);
  const card: CardContent = {
    request: req,
    facts: readFacts(req.facts),
    vendorName: entry.provisioner.displayName,
    description: entry.provisioner.describe(req.payload),
    approvals: await ctx.store.listApprovals(req.id),
    policy: entry.policy,
    expiresAt: expiresAt(req.createdAt, entry),
  };
  const render = ctx.messaging.cardRender(card);
  if (req.card) {
    // chat.update is rate-limited per workspace: the same render twice in a row is sent once.
    if (req.cardRender === render) return;
    try {
      await ctx.messaging.update(req.card, card);
      await ctx.store.setCardRender(req.id, req.card, render);
      return;
    } catch (e) {
      if (!(e instanceof MessageGoneError)) throw e;
      ctx.log.warn({ requestId: req.id }, 'approval card is gone from Slack; posting it again');
    }
  }
  const ref = await ctx.messaging.post(entry.approvalChannel, card);
  // The first card tells the requester where it is: a job of its own, saved with the card.
  const then = req.card ? undefined : { jobs: [submittedNoticeJob(req.id)], at: ctx.clock.now() };
  if (!(await ctx.store.setCard(req.id, ref, req.card, then, render))) {
    // Another worker (replica) posted the card first: keep one card, and render onto theirs.
    await ctx.messaging.remove(ref);
    throw new RetryLaterError(0, 'another worker posted the card first');
  }
  ctx.log.info({ requestId: req.id, channel: ref.channel }, req.card ? 'card posted again' : 'card posted');
  if (then) ctx.wake();
}
