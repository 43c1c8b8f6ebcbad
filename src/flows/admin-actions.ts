/** Requester cancels; an admin retries a request whose outcome is unknown. Both are conditional transitions. */

import type { Actor } from '../domain/approval-policy.ts';
import { isApprover } from '../domain/approval-policy.ts';
import { nextStatus } from '../domain/lifecycle.ts';
import type { AccessRequest } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import type { FlowDeps } from './deps.ts';
import { provisionJob, renderCardJob, replyJob } from './jobs.ts';
import { vendorEntry } from './vendor-entry.ts';

export async function cancelRequest(deps: FlowDeps, requestId: string, actor: Actor): Promise<AccessRequest> {
  const req = await deps.store.getRequest(requestId);
  if (actor.userId !== req.requesterId || actor.teamId !== req.teamId) {
    throw new NotAllowedError('Only the requester can cancel this request. Nothing was changed.');
  }
  const step = nextStatus(req.status, 'cancel');
  if (!step.ok) throw new NotAllowedError(`${step.reason}.`);
  const done = await deps.store.transition({
    id: req.id,
    expected: { status: req.status, version: req.version },
    to: step.next,
    audit: { actor: actor.userId, action: 'cancelled' },
    jobs: [
      renderCardJob(req.id),
      replyJob(req.id, {
        type: 'note',
        text: `:heavy_multiplication_x: <@${actor.userId}> cancelled this request.`,
      }),
    ],
    at: deps.clock.now(),
  });
  deps.wake();
  return done;
}

export function isAdmin(deps: FlowDeps, actor: Actor, req: AccessRequest): boolean {
  return deps.adminUsers.includes(actor.userId) || isApprover(actor, vendorEntry(deps, req.vendor).policy);
}

/** Back to APPROVED: the provisioning job starts with the vendor pre-check, so nothing is created twice. */
export async function retryRequest(deps: FlowDeps, requestId: string, actor: Actor): Promise<AccessRequest> {
  const req = await deps.store.getRequest(requestId);
  if (!isAdmin(deps, actor, req) || actor.teamId !== req.teamId) {
    throw new NotAllowedError(
      'Only Access Desk admins and this vendor’s approvers can retry. Nothing was changed.',
    );
  }
  const step = nextStatus(req.status, 'retry');
  if (!step.ok) throw new NotAllowedError(`${step.reason}.`);
  const done = await deps.store.transition({
    id: req.id,
    expected: { status: req.status, version: req.version },
    to: step.next,
    audit: { actor: actor.userId, action: 'retry_requested' },
    jobs: [
      renderCardJob(req.id),
      replyJob(req.id, { type: 'note', text: `:repeat: <@${actor.userId}> asked to check again and retry.` }),
      provisionJob(req.id),
    ],
    at: deps.clock.now(),
  });
  deps.wake();
  return done;
}
