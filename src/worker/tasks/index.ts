/** Job kind → task, each a plain function of (context, job, helpers). */
import type { FlowDeps } from '../../flows/deps.ts';
import { JOB } from '../../flows/jobs.ts';
import type { Job } from '../../store/store.ts';
import type { KeyedMessaging } from '../messaging.ts';
import { sendOnce } from '../send-once.ts';
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

/** The worker's dependencies: the flows' plus the chat the tasks' messages go to. */
export interface WorkerContext extends FlowDeps {
  messaging: KeyedMessaging;
}

export function buildTasks(deps: WorkerContext): Record<string, Task> {
  // Each job gets its own Messaging, which sends its messages at most once across its attempts.
  const ctx = (job: Job): TaskContext => ({ ...deps, messaging: sendOnce(deps.messaging, job, deps.log) });
  return {
    [JOB.renderCard]: (job) => renderCardTask(ctx(job), job),
    [JOB.submittedNotice]: (job) => submittedNoticeTask(ctx(job), job),
    [JOB.precheck]: (job, helpers) => precheckTask(ctx(job), job, helpers),
    [JOB.provision]: (job, helpers) => provisionTask(ctx(job), job, helpers),
    [JOB.threadReply]: (job) => threadReplyTask(ctx(job), job),
    [JOB.notifyRequester]: (job) => notifyRequesterTask(ctx(job), job),
    [JOB.secretNotice]: (job) => secretNoticeTask(ctx(job), job),
    [JOB.resultsFile]: (job) => resultsFileTask(ctx(job), job),
  };
}
