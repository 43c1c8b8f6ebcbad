/** Job kind → task, each a plain function of (context, job, helpers). */
import { JOB } from '../../flows/jobs.ts';
import type { Task } from '../worker.ts';
import { notifyRequesterTask } from './notify-requester.ts';
import { precheckTask } from './precheck.ts';
import { provisionTask } from './provision.ts';
import { renderCardTask } from './render-card.ts';
import { resultsFileTask } from './results-file.ts';
import { secretNoticeTask } from './secret-notice.ts';
import { submittedNoticeTask } from './submitted-notice.ts';
import type { TaskContext } from './task-context.ts';
import { threadReplyTask } from './thread-reply.ts';

export function buildTasks(ctx: TaskContext): Record<string, Task> {
  return {
    [JOB.renderCard]: (job) => renderCardTask(ctx, job),
    [JOB.submittedNotice]: (job) => submittedNoticeTask(ctx, job),
    [JOB.precheck]: (job, helpers) => precheckTask(ctx, job, helpers),
    [JOB.provision]: (job, helpers) => provisionTask(ctx, job, helpers),
    [JOB.threadReply]: (job) => threadReplyTask(ctx, job),
    [JOB.notifyRequester]: (job) => notifyRequesterTask(ctx, job),
    [JOB.secretNotice]: (job) => secretNoticeTask(ctx, job),
    [JOB.resultsFile]: (job) => resultsFileTask(ctx, job),
  };
}
