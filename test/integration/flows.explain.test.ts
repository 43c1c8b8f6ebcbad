/**
 * /newuser status|explain <id> and the card's Explain button (issue 11 §3): the requester, the
 * vendor's approvers and the admins get a private answer — where the request is, who may approve and
 * which setting says so, whether they could decide and why not, what is missing, when it expires and
 * when reminders go out; anyone else is refused and learns nothing about the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/views/ids.ts';
import type { StoredMessage } from '../fakes/fake-slack/index.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import { approve, requestAccount, waitForCard, waitForCardText } from './scenario.ts';

const ADMIN = USERS.groupMember;

describe('status and explain', () => {
  let h: Harness;
  let card: StoredMessage;
  let id: string;
  beforeAll(async () => {
    h = await startHarness({
      vendorPatch: { requiredApprovals: 2, remindAfterHours: [24, 48], expireAfterHours: 72 },
      slackPatch: { adminUsers: [ADMIN] },
    });
    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Ann',
      LASTNAME: 'Lee',
      USERNAME: 'explainme',
      EMAIL: 'explainme@example.com',
    });
    card = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, card, USERS.approver1);
    await waitForCardText(h.slack, 'pam360', card, /\(1 of 2\)/);
    const [req] = await h.runtime.store.listRequests({ vendor: 'pam360' });
    id = req!.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The one new private answer `user` gets after `act`, as text and blocks. */
  async function privately(user: string, act: () => Promise<unknown>): Promise<string> {
    const before = h.slack.ephemerals(user).length;
    await act();
    const m = await h.slack.waitFor(() => h.slack.ephemerals(user)[before], { timeoutMs: 10_000 });
    return `${m.text}\n${JSON.stringify(m.blocks)}`;
  }

  /** `/newuser <text>` typed by `user`, and the answer only they see. */
  const ask = (user: string, text: string) =>
    privately(user, () => h.slack.slashCommand({ user, command: '/newuser', text }));

  it('the requester: where it is, what is missing, who decides, when it expires and when reminders go out', async () => {
    const status = await ask(USERS.requester, `status ${id}`);
    expect(status).toMatch(
      /Waiting for approval: 1 of 2 approvals \(approved by <@U0APPROVER1>\); 1 more approval needed/,
    );
    expect(status).toMatch(/You asked for it; its approvers decide/);
    expect(status).toMatch(/Expires:\* <!date\^\d+\^/);
    // The id pasted as the card shows it: in backticks, after "id".
    const explained = await ask(USERS.requester, `explain id \`${id.toUpperCase()}\``);
    expect(explained).toMatch(/<@U0APPROVER1>, <@U0APPROVER2> \(named in `PAM360_APPROVERS`\)/);
    expect(explained).toMatch(/2 from different approvers \(`PAM360_REQUIRED_APPROVALS`\)/);
    expect(explained).toMatch(/`PAM360_EXPIRE_AFTER_HOURS`=72/);
    const reminders = /Reminders to the approvers:\* (.*?) \(`PAM360_REMIND_AFTER_HOURS`/.exec(
      explained,
    )?.[1];
    expect(reminders?.match(/<!date\^/g)).toHaveLength(2);
  });

  it('an approver who approved already, one who has not, and an admin who is no approver', async () => {
    expect(await ask(USERS.approver1, `status ${id}`)).toMatch(/You already approved this version/);
    expect(await ask(USERS.approver2, `status ${id}`)).toMatch(/You can approve or deny it/);
    expect(await ask(ADMIN, `explain ${id}`)).toMatch(
      /you are not one of its approvers \(`PAM360_APPROVERS`, `PAM360_APPROVER_GROUPS`\)/,
    );
  });

  it('anyone else is refused and told nothing about the request', async () => {
    const refused = await ask(USERS.outsider, `explain ${id}`);
    expect(refused).toMatch(/Only the requester, the approvers of this vendor and Access Desk admins/);
    expect(refused).not.toMatch(/explainme|Waiting for approval|APPROVER1/);
    expect(await ask(USERS.outsider, 'status 00000000-0000-0000-0000-000000000000')).toMatch(
      /I know no request with id/,
    );
    expect(await ask(USERS.requester, 'status')).toMatch(/Give the request id/);
  });

  it('the Explain button on the card answers the clicker privately', async () => {
    const click = (user: string) =>
      privately(user, () =>
        h.slack.clickButton({ user, channel: card.channel, ts: card.ts, actionId: ACTION.explain }),
      );
    expect(await click(USERS.approver2)).toMatch(/Who may approve/);
    expect(await click(USERS.outsider)).toMatch(/Only the requester/);
  });
});
