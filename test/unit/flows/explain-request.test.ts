import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/approval-policy.ts';
import type { AccessRequest, Approval, RequestStatus } from '../../../src/domain/request.ts';
import { type ExplainInput, explainRequest, readRequestId } from '../../../src/flows/explain-request.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-24T09:00:00Z');

const request = (over: Partial<AccessRequest> = {}): AccessRequest => ({
  id: 'r1',
  vendor: 'pjm',
  requesterId: 'U0REQ',
  teamId: 'T1',
  payload: {},
  payloadHash: 'h2',
  status: 'PENDING',
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  card: null,
  facts: {},
  ...over,
});

const approval = (
  approverId: string,
  payloadHash = 'h2',
  decision: Approval['decision'] = 'approve',
): Approval => ({
  requestId: 'r1',
  approverId,
  decision,
  reason: decision === 'deny' ? 'no need' : null,
  payloadHash,
  decidedAt: T0,
});

const viewer = (userId: string, groups: string[] = [], teamId = 'T1'): Actor => ({ userId, teamId, groups });

function input(over: Partial<ExplainInput> = {}): ExplainInput {
  return {
    request: request(),
    approvals: [],
    entry: {
      policy: {
        approvers: ['U0A1', 'U0A2'],
        approverGroups: ['S0G'],
        requiredApprovals: 2,
        allowSelfApproval: false,
      },
      expireAfterHours: 72,
      remindAfterHours: [48, 24, 100],
    },
    adminUsers: ['U0ADMIN'],
    viewer: viewer('U0REQ'),
    ...over,
  };
}

describe('explainRequest', () => {
  it('shows a request to its requester, its approvers (by id or group) and admins, and to nobody else', () => {
    expect(explainRequest(input())?.roles).toEqual(['requester']);
    expect(explainRequest(input({ viewer: viewer('U0A1') }))?.roles).toEqual(['approver']);
    expect(explainRequest(input({ viewer: viewer('U0X', ['S0G']) }))?.roles).toEqual(['approver']);
    expect(explainRequest(input({ viewer: viewer('U0ADMIN') }))?.roles).toEqual(['admin']);
    expect(explainRequest(input({ viewer: viewer('U0X', ['S0OTHER']) }))).toBeNull();
    // The same user id in another workspace is someone else.
    expect(explainRequest(input({ viewer: viewer('U0REQ', [], 'T2') }))).toBeNull();
  });

  it('counts only approvals of the current version, and how many are missing', () => {
    const e = explainRequest(input({ approvals: [approval('U0A1', 'h1'), approval('U0A2')] }))!;
    expect(e.approvedBy).toEqual(['U0A2']);
    expect(e.missing).toBe(1);
    expect(explainRequest(input({ request: request({ status: 'APPROVED' }) }))!.missing).toBe(0);
  });

  it('says why the viewer cannot decide: requester, not an approver, self-approval off, already approved, not pending', () => {
    const why = (over: Partial<ExplainInput>) => {
      const you = explainRequest(input(over))?.you;
      return you?.can === false ? you.why : you?.can;
    };
    expect(why({})).toBe('requester');
    expect(why({ viewer: viewer('U0ADMIN') })).toBe('not-approver');
    expect(why({ request: request({ requesterId: 'U0A1' }), viewer: viewer('U0A1') })).toBe(
      'self-approval-off',
    );
    const selfOk = input().entry;
    expect(
      why({
        request: request({ requesterId: 'U0A1' }),
        viewer: viewer('U0A1'),
        entry: { ...selfOk, policy: { ...selfOk.policy, allowSelfApproval: true } },
      }),
    ).toBe(true);
    expect(why({ viewer: viewer('U0A1'), approvals: [approval('U0A1')] })).toBe('already-approved');
    // An approval of an edited-away version does not stop a new one.
    expect(why({ viewer: viewer('U0A1'), approvals: [approval('U0A1', 'h1')] })).toBe(true);
    expect(why({ viewer: viewer('U0X', ['S0G']) })).toBe(true);
    expect(why({ viewer: viewer('U0A1'), request: request({ status: 'SUCCEEDED' }) })).toBe('not-pending');
  });

  it('expiry and reminders follow the vendor timings from submission; reminders after expiry never go out', () => {
    const e = explainRequest(input({ request: request({ facts: { remindersSent: [24] } }) }))!;
    expect(e.expiresAt).toEqual(new Date(T0.getTime() + 72 * HOUR));
    expect(e.reminders).toEqual([
      { at: new Date(T0.getTime() + 24 * HOUR), sent: true },
      { at: new Date(T0.getTime() + 48 * HOUR), sent: false },
    ]);
    const done = explainRequest(
      input({
        request: request({ status: 'DENIED' as RequestStatus }),
        approvals: [approval('U0A1', 'h2', 'deny')],
      }),
    )!;
    expect(done.expiresAt).toBeNull();
    expect(done.reminders).toEqual([]);
    expect(done.denial).toEqual({ by: 'U0A1', reason: 'no need' });
  });

  it('names the settings behind the policy as an operator sets them', () => {
    expect(explainRequest(input())!.settings).toEqual({
      approvers: 'PJM_APPROVERS',
      approverGroups: 'PJM_APPROVER_GROUPS',
      requiredApprovals: 'PJM_REQUIRED_APPROVALS',
      allowSelfApproval: 'PJM_ALLOW_SELF_APPROVAL',
      expireAfterHours: 'PJM_EXPIRE_AFTER_HOURS',
      remindAfterHours: 'PJM_REMIND_AFTER_HOURS',
    });
  });
});

describe('readRequestId', () => {
  const id = '244a42a8-e163-4f34-be25-e5a8aab93fed';
  it('accepts what a user pastes from the card', () => {
    for (const pasted of [id, `\`${id}\``, `id \`${id}\``, id.toUpperCase(), ` ${id}.`, `<${id}>`])
      expect(readRequestId(pasted)).toBe(id);
    expect(readRequestId(' `other-id` ')).toBe('other-id');
    expect(readRequestId('   ')).toBe('');
  });
});
