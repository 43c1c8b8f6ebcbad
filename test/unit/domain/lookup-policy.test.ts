import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy } from '../../../src/domain/approval-policy.ts';
import { canLookUp, lookupGroupsToCheck, whoMayLookUp } from '../../../src/domain/lookup-policy.ts';

const approval: ApprovalPolicy = {
  approvers: ['U0APPROVER'],
  approverGroups: ['S0APPROVERS'],
  requiredApprovals: 1,
  allowSelfApproval: false,
};
const closed = { users: [], groups: [], everyone: false };
const actor = (userId: string, groups: string[] = []) => ({ userId, groups });

describe('lookup policy', () => {
  it('by default answers approvers (by id or group) and admins only', () => {
    expect(canLookUp(actor('U0APPROVER'), closed, approval, [])).toBe(true);
    expect(canLookUp(actor('U0MEMBER', ['S0APPROVERS']), closed, approval, [])).toBe(true);
    expect(canLookUp(actor('U0ADMIN'), closed, approval, ['U0ADMIN'])).toBe(true);
    expect(canLookUp(actor('U0MEMBER'), closed, approval, ['U0ADMIN'])).toBe(false);
    expect(canLookUp(actor('U0MEMBER', ['S0OTHER']), closed, approval, [])).toBe(false);
  });

  it('named users and groups widen it; everyone opens it', () => {
    const wider = { users: ['U0HELPDESK'], groups: ['S0HELP'], everyone: false };
    expect(canLookUp(actor('U0HELPDESK'), wider, approval, [])).toBe(true);
    expect(canLookUp(actor('U0X', ['S0HELP']), wider, approval, [])).toBe(true);
    expect(canLookUp(actor('U0X'), wider, approval, [])).toBe(false);
    expect(canLookUp(actor('U0X'), { ...closed, everyone: true }, approval, [])).toBe(true);
  });

  it('names who may look up and which groups to check', () => {
    const wider = { users: ['U0HELPDESK', 'U0APPROVER'], groups: ['S0HELP', 'S0APPROVERS'], everyone: false };
    expect(lookupGroupsToCheck(wider, approval)).toEqual(['S0APPROVERS', 'S0HELP']);
    expect(whoMayLookUp(wider, approval)).toEqual({
      users: ['U0APPROVER', 'U0HELPDESK'],
      groups: ['S0APPROVERS', 'S0HELP'],
    });
  });
});
