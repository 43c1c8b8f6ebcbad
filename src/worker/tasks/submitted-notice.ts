/** The requester learns where the card is: privately where they typed /newuser, else by DM. */
import { readFacts } from '../../domain/facts.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { Job } from '../../store/store.ts';
import type { PersonalContent } from '../messaging.ts';
import { requestIdOf, type TaskContext } from './task-context.ts';

export async function submittedNoticeTask(ctx: TaskContext, job: Job): Promise<void> {
  const req = await ctx.store.getRequest(requestIdOf(job));
  if (!req.card) return;
  const { provisioner } = vendorEntry(ctx, req.vendor);
  const notice: PersonalContent = {
    type: 'submitted',
    subject: provisioner.describe(req.payload).subject,
    vendorName: provisioner.displayName,
    cardLink: await ctx.messaging.permalink(req.card),
  };
  const origin = readFacts(req.facts).originChannel;
  if (origin) {
    try {
      await ctx.messaging.ephemeral(origin, req.requesterId, notice);
      return;
    } catch (e) {
      // The ephemeral was not delivered, so the DM is the one message this job sends.
      ctx.log.info({ err: e, requestId: req.id }, 'ephemeral notice failed; sending a DM instead');
    }
  }
  await ctx.messaging.dm(req.requesterId, notice);
}
