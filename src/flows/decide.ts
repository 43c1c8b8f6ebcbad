/** An approver approves or denies. Policy first (nothing changes on refusal), then one atomic store decision. */
import { type Actor, canDecide } from '../domain/approval-policy.ts';
import type { AccessRequest, Decision } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import type { DecisionResult } from '../store/store.ts';
import type { FlowDeps } from './deps.ts';
import { notifyJob, provisionJob, renderCardJob, replyJob } from './jobs.ts';
import { vendorEntry } from './vendor-entry.ts';

export interface DecideInput {
  requestId: string;
  actor: Actor;
  decision: Decision;
  reason: string | null;
  /** The payload hash on the card the approver clicked. */
  payloadHash: string;
}

/**
 * `known`: the request as the caller just read it (a click reads it once, for the actor's groups);
 * recordDecision checks it again under its lock, so a stale copy cannot decide anything.
 * @throws NotAllowedError — not an approver, self-approval, deny without a reason, already decided
 * @throws TransitionConflictError — someone else decided first, or the request changed
 */
export async function decide(
  deps: FlowDeps,
  input: DecideInput,
  known?: AccessRequest,
): Promise<DecisionResult> {
  const req = known?.id === input.requestId ? known : await deps.store.getRequest(input.requestId);
  const entry = vendorEntry(deps, req.vendor);
  const verdict = canDecide(input.actor, req, entry.policy, input.decision);
  if (!verdict.allowed) throw new NotAllowedError(verdict.reason, verdict.who);
  if (input.decision === 'deny' && !input.reason?.trim())
    throw new NotAllowedError('Please give a reason for the denial.');

  const result = await deps.store.recordDecision({
    requestId: req.id,
    approverId: input.actor.userId,
    decision: input.decision,
    reason: input.reason?.trim() || null,
    payloadHash: input.payloadHash,
    requiredApprovals: entry.policy.requiredApprovals,
    expireAfterMs: entry.expireAfterHours * 3_600_000,
    at: deps.clock.now(),
    jobs: [renderCardJob(req.id), replyJob(req.id, { type: 'decision', approverId: input.actor.userId })],
    jobsIfApproved: [provisionJob(req.id)],
    jobsIfDenied: [notifyJob(req.id)],
  });
  // After the caller's continuation: a deny reason's modal is acked before a woken slot claims a job.
  setImmediate(() => deps.wake());
  return result;
}
