/** Requester cancels; an admin retries a request whose outcome is unknown. Both are conditional transitions. */
import { type Actor, isApprover } from '../domain/approval-policy.ts';
import { type LifecycleEvent, nextStatus } from '../domain/lifecycle.ts';
import type { AccessRequest } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import type { NewJob } from '../store/store.ts';
import type { FlowDeps } from './deps.ts';
import { provisionJob, renderCardJob, replyJob } from './jobs.ts';
import { vendorEntry } from './vendor-entry.ts';

interface Step {
  event: LifecycleEvent;
  action: string;
  /** Why the actor may not, or null when they may. */
  refusal: (req: AccessRequest) => string | null;
  /** Thread note, plain text, after a mention of the actor. */
  note: string;
  jobs: (req: AccessRequest) => NewJob[];
}

async function apply(deps: FlowDeps, requestId: string, actor: Actor, step: Step): Promise<AccessRequest> {
  const req = await deps.store.getRequest(requestId);
  const refusal =
    actor.teamId === req.teamId ? step.refusal(req) : 'This request belongs to another Slack workspace.';
  if (refusal) throw new NotAllowedError(`${refusal} Nothing was changed.`);
  const next = nextStatus(req.status, step.event);
  if (!next.ok) throw new NotAllowedError(`${next.reason}.`);
  const done = await deps.store.transition({
    id: req.id,
    expected: { status: req.status, version: req.version },
    to: next.next,
    audit: { actor: actor.userId, action: step.action },
    jobs: [
      renderCardJob(req.id),
      replyJob(req.id, { type: 'note', text: step.note, by: actor.userId }),
      ...step.jobs(req),
    ],
    at: deps.clock.now(),
  });
  deps.wake();
  return done;
}

export function isAdmin(deps: FlowDeps, actor: Actor, req: AccessRequest): boolean {
  return deps.adminUsers.includes(actor.userId) || isApprover(actor, vendorEntry(deps, req.vendor).policy);
}

export const cancelRequest = (deps: FlowDeps, requestId: string, actor: Actor) =>
  apply(deps, requestId, actor, {
    event: 'cancel',
    action: 'cancelled',
    refusal: (req) =>
      actor.userId === req.requesterId ? null : 'Only the requester can cancel this request.',
    note: 'cancelled this request.',
    jobs: () => [],
  });

/** Back to APPROVED: the provisioning job starts with the vendor pre-check, so nothing is created twice. */
export const retryRequest = (deps: FlowDeps, requestId: string, actor: Actor) =>
  apply(deps, requestId, actor, {
    event: 'retry',
    action: 'retry_requested',
    refusal: (req) =>
      isAdmin(deps, actor, req) ? null : 'Only Access Desk admins and this vendor’s approvers can retry.',
    note: 'asked to check again and retry.',
    jobs: (req) => [provisionJob(req.id)],
  });
