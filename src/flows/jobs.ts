/**
 * The job kinds and their payloads, shared by the flows that enqueue and the tasks that run them.
 * Each job that talks to Slack sends one message, so a retry never repeats another's message.
 * Two queues per request: `chat:` (card, replies, DMs — in order) and `vendor:` (pre-check and
 * provisioning), so a long vendor call never holds up the card that says it is running.
 */
import { z } from 'zod';
import { type NewJob, VENDOR_QUEUE_PREFIX } from '../store/store.ts';

export const JOB = {
  renderCard: 'render-card',
  submittedNotice: 'submitted-notice',
  precheck: 'precheck',
  provision: 'provision',
  threadReply: 'thread-reply',
  notifyRequester: 'notify-requester',
  secretNotice: 'secret-notice',
  resultsFile: 'results-file',
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

const chat = (requestId: string) => ({ requestId, queue: `chat:${requestId}` });
const vendor = (requestId: string) => ({ requestId, queue: `${VENDOR_QUEUE_PREFIX}${requestId}` });

/** Card re-renders coalesce: one queued render per request is enough (it reads the latest state). */
export const renderCardJob = (requestId: string): NewJob => ({
  kind: JOB.renderCard,
  ...chat(requestId),
  dedupeKey: `card:${requestId}`,
});

export const replyJob = (requestId: string, reply: ThreadReply): NewJob => ({
  kind: JOB.threadReply,
  ...chat(requestId),
  payload: reply,
});

/** Tell the requester where the card is (enqueued when the card is first saved). */
export const submittedNoticeJob = (requestId: string): NewJob => ({
  kind: JOB.submittedNotice,
  ...chat(requestId),
});
/** The outcome DM. */
export const notifyJob = (requestId: string): NewJob => ({ kind: JOB.notifyRequester, ...chat(requestId) });
/** The Reveal-button DM, when a credential waits. */
export const secretNoticeJob = (requestId: string): NewJob => ({
  kind: JOB.secretNotice,
  ...chat(requestId),
});
/** A batch's per-user results as a CSV file in the card's thread. */
export const resultsFileJob = (requestId: string): NewJob => ({ kind: JOB.resultsFile, ...chat(requestId) });
export const provisionJob = (requestId: string): NewJob => ({ kind: JOB.provision, ...vendor(requestId) });
export const precheckJob = (requestId: string): NewJob => ({ kind: JOB.precheck, ...vendor(requestId) });
