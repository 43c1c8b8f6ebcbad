import type { ApprovalSettings } from '../../../src/config/schema.ts';

/** The approval settings every simulator's settings() starts from (tests override what they need). */
export const SIM_APPROVAL_DEFAULTS: ApprovalSettings = {
  enabled: true,
  approvalChannel: 'C0APPROVALS',
  approvers: ['U0APPROVER1', 'U0APPROVER2'],
  approverGroups: [],
  requiredApprovals: 1,
  allowSelfApproval: false,
  expireAfterHours: 72,
  remindAfterHours: [24],
  requireJustification: true,
};
