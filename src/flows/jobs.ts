/** The job kinds and their payloads, shared by the flows that enqueue and the tasks that run them. */
import { z } from 'zod';
import type { NewJob } from '../store/store.ts';

export const JOB = {
  renderCard: 'render-card',
  precheck: 'precheck',
  provision: 'provision',
  threadReply: 'thread-reply',
  notifyRequester: 'notify-requester',
} as const;

export const threadReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('decision'), approverId: z.string() }),
  z.object({ type: z.literal('outcome') }),
  z.object({
    type: z.literal('note'),
    /** Plain text; the views escape it and add the mentions below. */
    text: z.string(),
    /** The Slack user who did what the note says. */
    by: z.string().optional(),
    /** Addressed to the vendor's approvers (reminders). */
    toApprovers: z.boolean().optional(),
  }),
]);
export type ThreadReply = z.infer<typeof threadReplySchema>;

/** Card re-renders coalesce: one queued render per request is enough (it reads the latest state). */
export const renderCardJob = (requestId: string): NewJob => ({
  kind: JOB.renderCard,
  requestId,
  dedupeKey: `card:${requestId}`,
});

export const replyJob = (requestId: string, reply: ThreadReply): NewJob => ({
  kind: JOB.threadReply,
  requestId,
  payload: reply,
});

export const notifyJob = (requestId: string): NewJob => ({ kind: JOB.notifyRequester, requestId });
export const provisionJob = (requestId: string): NewJob => ({ kind: JOB.provision, requestId });
export const precheckJob = (requestId: string): NewJob => ({ kind: JOB.precheck, requestId });
