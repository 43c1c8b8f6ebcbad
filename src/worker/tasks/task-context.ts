import type { FlowDeps } from '../../flows/deps.ts';
import type { Messaging } from '../messaging.ts';

/** What tasks get: the flows' dependencies plus the chat seam. */
export interface TaskContext extends FlowDeps {
  messaging: Messaging;
}

export function requestIdOf(job: { requestId: string | null; kind: string }): string {
  if (!job.requestId) throw new Error(`${job.kind} job without a request id`);
  return job.requestId;
}
