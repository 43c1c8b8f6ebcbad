import { describe, expect, it } from 'vitest';
import { type ApprovalPolicy, canDecide } from '../../../src/domain/approval-policy.ts';
import { payloadHash } from '../../../src/domain/payload-hash.ts';
import type { AccessRequest } from '../../../src/domain/request.ts';

const policy: ApprovalPolicy = {
  approvers: ['U0ALICE'],
  approverGroups: ['S0ADMINS'],
  requiredApprovals: 1,
  allowSelfApproval: false,
};
const req = { requesterId: 'U0ALICE', teamId: 'T0TEAM' } as Pick<
  AccessRequest,
  'requesterId' | 'teamId'
> as AccessRequest;
const actor = (userId: string, groups: string[] = [], teamId = 'T0TEAM') => ({ userId, teamId, groups });

describe('approval policy', () => {
  it('allows a listed approver and a member of a listed group', () => {
    expect(canDecide(actor('U0BOB', ['S0ADMINS']), req, policy, 'approve')).toEqual({ allowed: true });
    expect(canDecide(actor('U0ALICE'), { ...req, requesterId: 'U0CAROL' }, policy, 'approve')).toEqual({
      allowed: true,
    });
  });
  it('refuses anyone else and says who can decide', () => {
    const v = canDecide(actor('U0MALLORY', ['S0OTHER']), req, policy, 'approve');
    expect(v).toEqual({
      allowed: false,
      reason: expect.stringContaining('Only approvers can approve'),
      who: { users: ['U0ALICE'], groups: ['S0ADMINS'] },
    });
  });
  it('refuses self-approval unless allowed, but lets the requester deny', () => {
    expect(canDecide(actor('U0ALICE'), req, policy, 'approve')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/self-approval is off/),
    });
    expect(canDecide(actor('U0ALICE'), req, { ...policy, allowSelfApproval: true }, 'approve')).toEqual({
      allowed: true,
    });
    expect(canDecide(actor('U0ALICE'), req, policy, 'deny')).toEqual({ allowed: true });
  });
  it('refuses an actor from another workspace even with the same user id', () => {
    expect(canDecide(actor('U0BOB', ['S0ADMINS'], 'T0OTHER'), req, policy, 'approve')).toMatchObject({
      allowed: false,
    });
  });
});

describe('payload hash', () => {
  it('ignores key order and changes with any value', () => {
    expect(payloadHash({ a: 1, b: [1, { c: 'x' }] })).toBe(payloadHash({ b: [1, { c: 'x' }], a: 1 }));
    expect(payloadHash({ a: 1 })).not.toBe(payloadHash({ a: 2 }));
    expect(payloadHash(['a', 'b'])).not.toBe(payloadHash(['b', 'a']));
  });
});
