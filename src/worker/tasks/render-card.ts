/** Re-render the whole card from the stored request; repost and relink if Slack lost the message. */
import { readFacts } from '../../domain/facts.ts';
import type { AccessRequest, SlackRef } from '../../domain/request.ts';
import { RetryLaterError } from '../../errors.ts';
import { expiresAt, vendorEntry } from '../../flows/vendor-entry.ts';
import { SlackMessageGoneError } from '../../slack/slack-gateway.ts';
import { renderSubmittedNotice } from '../../slack/views/messages.ts';
import { renderRequestCard } from '../../slack/views/request-card.ts';
import type { Job } from '../../store/store.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function renderCardTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  const entry = vendorEntry(ctx, req.vendor);
  const description = entry.provisioner.describe(req.payload);
  const msg = renderRequestCard({
    request: req,
    facts: readFacts(req.facts),
    vendorName: entry.provisioner.displayName,
    description,
    approvals: await ctx.store.listApprovals(req.id),
    policy: entry.policy,
    expiresAt: expiresAt(req.createdAt, entry),
  });
  if (req.card) {
    try {
      await ctx.gateway.update(req.card, msg);
      return;
    } catch (e) {
      if (!(e instanceof SlackMessageGoneError)) throw e;
      ctx.log.warn({ requestId: req.id }, 'approval card is gone from Slack; posting it again');
    }
  }
  const ref = await ctx.gateway.post(entry.approvalChannel, msg);
  if (!(await ctx.store.setCard(req.id, ref, req.card))) {
    // Another worker (replica) posted the card first: keep one card, and render onto theirs.
    await ctx.gateway.delete(ref);
    throw new RetryLaterError(0, 'another worker posted the card first');
  }
  if (!req.card) await tellRequester(ctx, req, ref, description.subject, entry.provisioner.displayName);
}

/** The requester learns where the card is: privately where they typed /newuser, else by DM. */
async function tellRequester(
  ctx: TaskContext,
  req: AccessRequest,
  ref: SlackRef,
  subject: string,
  vendorName: string,
) {
  const notice = renderSubmittedNotice(subject, vendorName, await ctx.gateway.permalink(ref));
  const origin = readFacts(req.facts).originChannel;
  if (origin) {
    try {
      await ctx.gateway.ephemeral(origin, req.requesterId, notice);
      return;
    } catch (e) {
      ctx.log.info({ err: e, requestId: req.id }, 'ephemeral notice failed; sending a DM instead');
    }
  }
  await ctx.gateway.dm(req.requesterId, notice);
}
