import type { FlowDeps } from '../../flows/deps.ts';
import type { SlackGateway } from '../../slack/slack-gateway.ts';

/** What tasks get: the flows' dependencies plus the Slack gateway. */
export interface TaskContext extends FlowDeps {
  gateway: SlackGateway;
}

export function requestIdOf(job: { requestId: string | null; kind: string }): string {
  if (!job.requestId) throw new Error(`${job.kind} job without a request id`);
  return job.requestId;
}
