/**
 * Who may decide a request: configured approvers by Slack user id, or members of configured user
 * groups; never by name or e-mail. Self-approval only where the vendor's settings allow it.
 * Pure: group membership is resolved by the caller.
 */
import type { AccessRequest, Decision } from './request.ts';

export interface ApprovalPolicy {
  approvers: readonly string[];
  approverGroups: readonly string[];
  requiredApprovals: number;
  allowSelfApproval: boolean;
}

export interface Actor {
  userId: string;
  teamId: string;
  /** User-group ids the actor belongs to (only the policy's groups matter). */
  groups: readonly string[];
}

/** People who can help with a refusal (e.g. the approvers), as Slack ids; the views mention them. */
export interface WhoCanHelp {
  users: readonly string[];
  groups: readonly string[];
}

export type PolicyVerdict = { allowed: true } | { allowed: false; reason: string; who?: WhoCanHelp };

/** Everyone who may approve, for the card and refusals (the views turn them into mentions). */
export const whoApproves = (policy: ApprovalPolicy): WhoCanHelp => ({
  users: policy.approvers,
  groups: policy.approverGroups,
});

export function isApprover(actor: Actor, policy: ApprovalPolicy): boolean {
  return (
    policy.approvers.includes(actor.userId) || policy.approverGroups.some((g) => actor.groups.includes(g))
  );
}

export function canDecide(
  actor: Actor,
  req: AccessRequest,
  policy: ApprovalPolicy,
  decision: Decision,
): PolicyVerdict {
  if (actor.teamId !== req.teamId) {
    return { allowed: false, reason: 'This request belongs to another Slack workspace.' };
  }
  if (!isApprover(actor, policy)) {
    return {
      allowed: false,
      reason: `Only approvers can ${decision} this request. Nothing was changed.`,
      who: whoApproves(policy),
    };
  }
  if (decision === 'approve' && actor.userId === req.requesterId && !policy.allowSelfApproval) {
    return {
      allowed: false,
      reason:
        'You asked for this access, so someone else has to approve it (self-approval is off). Nothing was changed.',
    };
  }
  return { allowed: true };
}
