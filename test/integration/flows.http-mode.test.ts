import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, USERS } from './harness.ts';
import { approve, requestAccount, waitForCard, waitForReply } from './scenario.ts';

describe('HTTP mode (signed requests to the Request URL)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'http' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs the PAM360 happy path with Slack-signed requests', async () => {
    await requestAccount(h.slack, 'pam360', {
      userType: 'normal',
      FIRSTNAME: 'Hana',
      LASTNAME: 'Tate',
      USERNAME: 'htate',
      EMAIL: 'htate@example.com',
    });
    const card = await waitForCard(h.slack, 'pam360');
    await approve(h.slack, card, USERS.approver1);
    await waitForReply(h.slack, card, /Created in PAM360 — USERID/);
    expect(h.pam360.createCalls).toBe(1);
  });

  it.each(['unsigned', 'wrong', 'stale', 'future'] as const)(
    'rejects a %s request with 401 and does nothing',
    async (signature) => {
      const opens = () => h.slack.calls('views.open').length;
      const before = opens();
      const result = await h.slack.slashCommand({
        user: USERS.requester,
        command: '/newuser',
        text: 'pam360',
        signature,
      });
      expect(result.status).toBe(401);
      expect(opens()).toBe(before);
    },
  );
});

describe('workspace guard end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ slackPatch: { teamId: 'T0NOTOURS' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('with SLACK_TEAM_ID set to another team, a command is acked and nothing happens', async () => {
    const before = h.slack.calls('views.open').length;
    await h.slack.slashCommand({ user: USERS.requester, command: '/newuser', text: 'pam360' });
    await h.runtime.worker.idle();
    expect(h.slack.calls('views.open').length).toBe(before);
    expect(h.logText()).toMatch(/delivery from another workspace refused/);
    expect(h.logText()).not.toMatch(/SLACK_TEAM_ID and SLACK_ENTERPRISE_ID are both unset/);
  });

  it('warns at start-up when neither SLACK_TEAM_ID nor SLACK_ENTERPRISE_ID is set', async () => {
    const open = await startHarness();
    try {
      expect(open.logText()).toMatch(/SLACK_TEAM_ID and SLACK_ENTERPRISE_ID are both unset/);
    } finally {
      await open.close();
    }
  });
});
