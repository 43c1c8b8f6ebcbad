/**
 * Who may use /lookup for a vendor (issue 8 §4): it shows people's e-mail, phone and accounts, so by
 * default only the vendor's approvers and the admins; settings widen it to named users and user
 * groups, or explicitly to everyone in the workspace. Pure: group membership is resolved by the caller.
 */
import { type ApprovalPolicy, isApprover, type WhoCanHelp } from './approval-policy.ts';

export interface LookupPolicy {
  users: readonly string[];
  groups: readonly string[];
  everyone: boolean;
}

export interface LookupActor {
  userId: string;
  /** User-group ids the actor belongs to (only the policy's and approvers' groups matter). */
  groups: readonly string[];
}

/** Every group whose membership the decision needs. */
export const lookupGroupsToCheck = (lookup: LookupPolicy, approval: ApprovalPolicy): string[] => [
  ...new Set([...approval.approverGroups, ...lookup.groups]),
];

/** Everyone who may look up besides the admins, for the refusal (the views turn them into mentions). */
export const whoMayLookUp = (lookup: LookupPolicy, approval: ApprovalPolicy): WhoCanHelp => ({
  users: [...new Set([...approval.approvers, ...lookup.users])],
  groups: lookupGroupsToCheck(lookup, approval),
});

export function canLookUp(
  actor: LookupActor,
  lookup: LookupPolicy,
  approval: ApprovalPolicy,
  adminUsers: readonly string[],
): boolean {
  return (
    lookup.everyone ||
    adminUsers.includes(actor.userId) ||
    lookup.users.includes(actor.userId) ||
    lookup.groups.some((g) => actor.groups.includes(g)) ||
    isApprover({ userId: actor.userId, teamId: '', groups: actor.groups }, approval)
  );
}
