/** The doctor's Slack checks against the fake Slack: what passes, and each failure with its fix. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.ts';
import { manifestBotScopes } from '../../../src/doctor/manifest-scopes.ts';
import { type ApprovalTarget, slackChecks } from '../../../src/doctor/slack-checks.ts';
import { renderTable } from '../../../src/domain/check-result.ts';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack/index.ts';

const TARGET: ApprovalTarget = {
  key: 'pam360',
  displayName: 'PAM360',
  approvalChannel: 'C0PAMAPPROVE',
  approvers: ['U0APPROVER1'],
  approverGroups: ['S0ADMINS'],
};

describe('doctor: Slack checks', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack({
      users: [{ id: 'U0APPROVER1' }],
      userGroups: { S0ADMINS: ['U0APPROVER1'] },
      channels: [
        { id: 'C0PAMAPPROVE', name: 'pam360-approvals' },
        { id: 'C0ELSEWHERE', name: 'elsewhere' },
      ],
    });
  });
  afterAll(async () => {
    await slack.close();
  });

  const settings = (patch: Record<string, unknown> = {}) =>
    configSchema.shape.slack.parse({
      botToken: slack.botToken,
      appToken: slack.appToken,
      apiUrl: slack.apiUrl,
      ...patch,
    });

  it('passes with good settings: token, every manifest scope, app token, channel, approvers, groups', async () => {
    const results = await slackChecks(settings(), [TARGET], manifestBotScopes());
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['Slack bot token', true],
      ['Slack scopes', true],
      ['Slack app token', true],
      ['PAM360 approval channel', true],
      ['PAM360 approvers', true],
      ['PAM360 approver groups', true],
    ]);
    expect(results[0]!.detail).toContain('(T0FAKE)');
    expect(results[3]!.detail).toBe('the bot is a member of #pam360-approvals');
  });

  it('names SLACK_BOT_TOKEN when Slack refuses it, and stops there', async () => {
    const results = await slackChecks(settings({ botToken: 'xoxb-wrong-9931' }), [TARGET], []);
    expect(results).toEqual([
      expect.objectContaining({
        ok: false,
        detail: 'refused by Slack (invalid_auth)',
        fix: expect.stringMatching(/^SLACK_BOT_TOKEN: /),
      }),
    ]);
    expect(renderTable(results)).not.toContain('xoxb-wrong-9931');
  });

  it('lists the scopes manifest.yml asks for that the token lacks', async () => {
    slack.grantScopes(['chat:write', 'commands', 'usergroups:read']);
    try {
      const [, scopes] = await slackChecks(settings(), [], manifestBotScopes());
      expect(scopes).toMatchObject({
        name: 'Slack scopes',
        ok: false,
        detail:
          'missing channels:history, channels:read, files:read, files:write, groups:history, groups:read, im:history, im:write, users:read',
      });
      expect(scopes!.fix).toMatch(/^SLACK_BOT_TOKEN: add the scopes of manifest.yml/);
    } finally {
      slack.grantScopes(manifestBotScopes());
    }
  });

  it('names the vendor setting for a channel the bot is not in, an unknown approver and an unknown group', async () => {
    slack.removeBotFrom('C0ELSEWHERE');
    const results = await slackChecks(
      settings({ appToken: 'xapp-wrong' }),
      [
        {
          ...TARGET,
          approvalChannel: 'C0ELSEWHERE',
          approvers: ['U0APPROVER1', 'U0GHOST'],
          approverGroups: ['S0NOPE'],
        },
      ],
      manifestBotScopes(),
    );
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName['Slack app token']).toMatchObject({
      ok: false,
      fix: expect.stringMatching(/^SLACK_APP_TOKEN: /),
    });
    expect(byName['PAM360 approval channel']).toMatchObject({
      ok: false,
      detail: 'the bot is not a member of #elsewhere',
      fix: 'PAM360_APPROVAL_CHANNEL: invite the bot there (/invite @Access Desk)',
    });
    expect(byName['PAM360 approvers']).toMatchObject({
      ok: false,
      detail: 'U0GHOST: user_not_found',
      fix: expect.stringMatching(/^PAM360_APPROVERS: /),
    });
    expect(byName['PAM360 approver groups']).toMatchObject({
      ok: false,
      detail: 'S0NOPE: no_such_subteam',
      fix: expect.stringMatching(/^PAM360_APPROVER_GROUPS: /),
    });
    const table = renderTable(results);
    expect(table).toMatch(/^FAIL {2}PAM360 approval channel/m);
    expect(table).toContain('4 of 6 checks failed.');
  });
});
