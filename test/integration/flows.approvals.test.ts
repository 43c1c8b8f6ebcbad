import { afterEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/views/ids.ts';
import { APPROVER_GROUP, type Harness, startHarness, USERS } from './harness.ts';
import {
  approve,
  deny,
  hasAction,
  requestAccount,
  waitForCard,
  waitForCardText,
  waitForDm,
  waitForEphemeral,
  waitForReply,
} from './scenario.ts';

const pamUser = (username: string) => ({
  userType: 'normal',
  FIRSTNAME: 'Ann',
  LASTNAME: 'Lee',
  USERNAME: username,
  EMAIL: `${username}@example.com`,
});

describe('approvals', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('deny asks for a reason; the card, the thread and the requester’s DM carry it; nothing is created', async () => {
    h = await startHarness();
    await requestAccount(h.slack, 'pam360', pamUser('denyme'));
    const card = await waitForCard(h.slack, 'pam360');
    const { ack } = await deny(h.slack, card, USERS.approver1, 'No business need');
    expect(ack?.response_action).toBeUndefined();
    const final = await waitForCardText(h.slack, 'pam360', card, /Denied/);
    expect(hasAction(final, ACTION.approve)).toBe(false);
    await waitForReply(h.slack, card, /denied this request: “No business need”/);
    await waitForDm(h.slack, USERS.requester, /Denied by <@U0APPROVER1>: “No business need”/);
    expect(h.pam360.createCalls).toBe(0);
  });

  it('an approver outside the set is refused privately and nothing changes', async () => {
    h = await startHarness();
    await requestAccount(h.slack, 'pam360', pamUser('outsidr'));
    const card = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, card, USERS.outsider);
    await waitForEphemeral(h.slack, USERS.outsider, /Only approvers can approve/);
    await h.slack.clickButton({
      user: USERS.outsider,
      channel: card.channel,
      ts: card.ts,
      actionId: ACTION.deny,
    });
    await waitForEphemeral(h.slack, USERS.outsider, /Only approvers can deny/);
    const [req] = await h.runtime.store.listRequests({ vendor: 'pam360' });
    expect(req?.status).toBe('PENDING');
    expect(await h.runtime.store.listApprovals(req!.id)).toEqual([]);
    expect(h.pam360.createCalls).toBe(0);
  });

  it('self-approval is refused unless the vendor allows it; a member of an approver group may approve', async () => {
    h = await startHarness({ vendorPatch: { approverGroups: [APPROVER_GROUP] } });
    await requestAccount(h.slack, 'pam360', pamUser('selfie'), USERS.approver1);
    const card = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, card, USERS.approver1);
    await waitForEphemeral(h.slack, USERS.approver1, /self-approval is off/);
    await approve(h.slack, card, USERS.groupMember);
    await waitForReply(h.slack, card, /Created in PAM360/);
    expect(h.pam360.createCalls).toBe(1);
  });

  it('two required approvals: the first leaves it pending, a repeat click by the same approver counts once, the second provisions', async () => {
    h = await startHarness({ vendorPatch: { requiredApprovals: 2 } });
    await requestAccount(h.slack, 'pam360', pamUser('twoapp'));
    const card = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /approved \(1 of 2\); waiting for 1 more/);
    await waitForCardText(h.slack, 'pam360', card, /Waiting for approval \(1 of 2\)/);
    await approve(h.slack, card, USERS.approver1);
    await waitForEphemeral(h.slack, USERS.approver1, /already approved/);
    expect(h.pam360.createCalls).toBe(0);
    await approve(h.slack, card, USERS.approver2);
    await waitForReply(h.slack, card, /Created in PAM360/);
    expect(h.pam360.createCalls).toBe(1);
  });

  it('the requester can cancel a pending request; nobody else can', async () => {
    h = await startHarness();
    await requestAccount(h.slack, 'pam360', pamUser('cancel1'));
    const card = await waitForCard(h.slack, 'pam360');
    await h.slack.clickButton({
      user: USERS.approver1,
      channel: card.channel,
      ts: card.ts,
      actionId: ACTION.cancel,
    });
    await waitForEphemeral(h.slack, USERS.approver1, /Only the requester can cancel/);
    await h.slack.clickButton({
      user: USERS.requester,
      channel: card.channel,
      ts: card.ts,
      actionId: ACTION.cancel,
    });
    await waitForCardText(h.slack, 'pam360', card, /Cancelled by the requester/);
    await waitForReply(h.slack, card, /cancelled this request/);
  });
});
