/**
 * /newuser status|explain <id> and the card's Explain button: where a request is, who may decide it
 * and which setting says so, whether the person asking could decide and why not, how many approvals
 * are missing, when it expires and when reminders go out. `explainRequest` is pure (group
 * membership resolved by the caller); `explain` reads the store.
 */

import { envNameFor } from '../config/settings-catalog.ts';
import { type Actor, type ApprovalPolicy, isApprover } from '../domain/approval-policy.ts';
import { readFacts } from '../domain/facts.ts';
import type { AccessRequest, Approval, RequestStatus, VendorId } from '../domain/request.ts';
import { NotAllowedError } from '../errors.ts';
import type { FlowDeps, VendorEntry } from './deps.ts';
import { vendorEntry } from './vendor-entry.ts';

const HOUR = 3_600_000;

/** Why the viewer may see the request. */
export type ViewerRole = 'requester' | 'approver' | 'admin';

/** Whether the viewer could approve now, and if not the one reason that stops them. */
export type DecideAnswer =
  | { can: true }
  | {
      can: false;
      why:
        | 'not-pending'
        | 'other-workspace'
        | 'requester'
        | 'not-approver'
        | 'self-approval-off'
        | 'already-approved';
    };

export interface Explanation {
  request: AccessRequest;
  roles: ViewerRole[];
  status: RequestStatus;
  policy: ApprovalPolicy;
  /** The settings behind the policy, by name (e.g. PJM_APPROVERS). */
  settings: {
    approvers: string;
    approverGroups: string;
    requiredApprovals: string;
    allowSelfApproval: string;
    expireAfterHours: string;
    remindAfterHours: string;
  };
  /** Approvers whose approval of the current version counts. */
  approvedBy: string[];
  /** Approvals still needed (0 once decided). */
  missing: number;
  /** Groups of the policy the viewer belongs to (why they are an approver, when not named). */
  viewerGroups: string[];
  you: DecideAnswer;
  /** Only while pending. */
  expiresAt: Date | null;
  expireAfterHours: number;
  /** Reminder times before expiry, and whether each went out; only while pending. */
  reminders: { at: Date; sent: boolean }[];
  /** The approver who denied, with their reason. */
  denial: { by: string; reason: string | null } | null;
}

export interface ExplainInput {
  request: AccessRequest;
  approvals: readonly Approval[];
  entry: Pick<VendorEntry, 'policy' | 'expireAfterHours' | 'remindAfterHours'>;
  adminUsers: readonly string[];
  viewer: Actor;
}

/** Who may see a request's explanation: its requester, its vendor's approvers, the admins. */
export function viewerRoles(input: ExplainInput): ViewerRole[] {
  const { request, viewer, entry } = input;
  if (viewer.teamId !== request.teamId) return [];
  const roles: ViewerRole[] = [];
  if (viewer.userId === request.requesterId) roles.push('requester');
  if (isApprover(viewer, entry.policy)) roles.push('approver');
  if (input.adminUsers.includes(viewer.userId)) roles.push('admin');
  return roles;
}

function decideAnswer(input: ExplainInput, approvedBy: readonly string[]): DecideAnswer {
  const { request, viewer, entry } = input;
  if (viewer.teamId !== request.teamId) return { can: false, why: 'other-workspace' };
  if (request.status !== 'PENDING') return { can: false, why: 'not-pending' };
  if (!isApprover(viewer, entry.policy))
    return { can: false, why: viewer.userId === request.requesterId ? 'requester' : 'not-approver' };
  if (viewer.userId === request.requesterId && !entry.policy.allowSelfApproval)
    return { can: false, why: 'self-approval-off' };
  if (approvedBy.includes(viewer.userId)) return { can: false, why: 'already-approved' };
  return { can: true };
}

const settingName = (vendor: VendorId, key: string) => envNameFor(['vendors', vendor, key]);

/** @returns null when the viewer may not see this request */
export function explainRequest(input: ExplainInput): Explanation | null {
  const roles = viewerRoles(input);
  if (roles.length === 0) return null;
  const { request, entry } = input;
  const facts = readFacts(request.facts);
  const approvedBy = input.approvals
    .filter((a) => a.decision === 'approve' && a.payloadHash === request.payloadHash)
    .map((a) => a.approverId);
  const pending = request.status === 'PENDING';
  const created = request.createdAt.getTime();
  const denied = input.approvals.find((a) => a.decision === 'deny');
  const sent = facts.remindersSent ?? [];
  return {
    request,
    roles,
    status: request.status,
    policy: entry.policy,
    settings: {
      approvers: settingName(request.vendor, 'approvers'),
      approverGroups: settingName(request.vendor, 'approverGroups'),
      requiredApprovals: settingName(request.vendor, 'requiredApprovals'),
      allowSelfApproval: settingName(request.vendor, 'allowSelfApproval'),
      expireAfterHours: settingName(request.vendor, 'expireAfterHours'),
      remindAfterHours: settingName(request.vendor, 'remindAfterHours'),
    },
    approvedBy,
    missing: pending ? Math.max(0, entry.policy.requiredApprovals - approvedBy.length) : 0,
    viewerGroups: entry.policy.approverGroups.filter((g) => input.viewer.groups.includes(g)),
    you: decideAnswer(input, approvedBy),
    expiresAt: pending ? new Date(created + entry.expireAfterHours * HOUR) : null,
    expireAfterHours: entry.expireAfterHours,
    reminders: pending
      ? [...new Set(entry.remindAfterHours)]
          .filter((h) => h < entry.expireAfterHours)
          .sort((a, b) => a - b)
          .map((h) => ({ at: new Date(created + h * HOUR), sent: sent.includes(h) }))
      : [],
    denial: denied ? { by: denied.approverId, reason: denied.reason } : null,
  };
}

/**
 * What a user pastes for a request id: the id itself, in backticks from the card, after "id", in
 * any case. A UUID anywhere in the text wins; else the text without quotes and backticks.
 */
export function readRequestId(text: string): string {
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(text);
  if (uuid) return uuid[0].toLowerCase();
  return text
    .trim()
    .replace(/^id\s+/i, '')
    .replace(/[`'"“”‘’<>]/g, '')
    .trim();
}

/**
 * The explanation for `viewer`, read from the store.
 * @throws NotAllowedError when the viewer is not its requester, an approver or an admin;
 * RequestNotFoundError when there is no such request
 */
export async function explain(
  deps: FlowDeps,
  requestId: string,
  viewerFor: (vendor: VendorId) => Promise<Actor>,
): Promise<Explanation> {
  const request = await deps.store.getRequest(requestId);
  const entry = vendorEntry(deps, request.vendor);
  const viewer = await viewerFor(request.vendor);
  const approvals = await deps.store.listApprovals(request.id);
  const answer = explainRequest({ request, approvals, entry, adminUsers: deps.adminUsers, viewer });
  if (!answer)
    throw new NotAllowedError(
      'Only the requester, the approvers of this vendor and Access Desk admins can see this request.',
    );
  return answer;
}
