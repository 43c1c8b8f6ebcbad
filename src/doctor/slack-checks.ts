/**
 * The doctor's Slack checks, against the real Web API: the bot token (auth.test), the scopes it
 * was granted (Slack's x-oauth-scopes header, which web-api hands back as response_metadata.scopes)
 * against manifest.yml, the app token (Socket Mode), and for each enabled vendor the approval
 * channel, the approvers and the approver groups. Settings are named by their environment variable.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import { envNameFor } from '../config/settings-catalog.ts';
import { type CheckResult, fail, pass } from '../domain/check-result.ts';
import { coerceError } from '../errors.ts';

/** The approval settings of one enabled vendor, as the doctor reads them. */
export interface ApprovalTarget {
  /** Path segment under vendors (pjm, pam360, cert), for the setting names. */
  key: string;
  displayName: string;
  approvalChannel: string | undefined;
  approvers: readonly string[];
  approverGroups: readonly string[];
}

const slackError = z.object({ data: z.looseObject({ error: z.string() }) });

/** Slack's error code, or for a transport failure the reason with the URL's setting. */
function reason(e: unknown): string {
  const platform = slackError.safeParse(e);
  return platform.success ? platform.data.data.error : coerceError(e).message;
}

const setting = (key: string, leaf: string) => envNameFor(['vendors', key, leaf]);

async function botToken(client: WebClient, manifestScopes: readonly string[]): Promise<CheckResult[]> {
  let res: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    res = await client.auth.test();
  } catch (e) {
    const why = reason(e);
    const unreachable = !slackError.safeParse(e).success;
    return [
      fail(
        'Slack bot token',
        unreachable ? `Slack unreachable: ${why}` : `refused by Slack (${why})`,
        unreachable
          ? 'SLACK_API_URL: the Web API base URL, https://slack.com/api/ (GovSlack: https://slack-gov.com/api/)'
          : 'SLACK_BOT_TOKEN: the Bot User OAuth Token (xoxb-…) from the app’s OAuth & Permissions page',
      ),
    ];
  }
  const results = [
    pass('Slack bot token', `signed in as @${res.user ?? '?'} in ${res.team ?? '?'} (${res.team_id ?? '?'})`),
  ];
  const granted = res.response_metadata?.scopes;
  if (granted === undefined) {
    results.push(
      fail(
        'Slack scopes',
        'Slack sent no x-oauth-scopes header',
        'SLACK_API_URL: point it at Slack’s Web API',
      ),
    );
    return results;
  }
  const missing = manifestScopes.filter((s) => !granted.includes(s));
  results.push(
    missing.length === 0
      ? pass('Slack scopes', `granted every scope manifest.yml asks for (${manifestScopes.join(', ')})`)
      : fail(
          'Slack scopes',
          `missing ${missing.join(', ')}`,
          'SLACK_BOT_TOKEN: add the scopes of manifest.yml to the app, reinstall it, and use the new bot token',
        ),
  );
  return results;
}

async function appToken(options: WebClientOptions, token: string | undefined): Promise<CheckResult> {
  try {
    await new WebClient(token, options).apps.connections.open({});
    return pass('Slack app token', 'Socket Mode connection URL issued');
  } catch (e) {
    return fail(
      'Slack app token',
      `refused by Slack (${reason(e)})`,
      'SLACK_APP_TOKEN: an app-level token (xapp-…) with connections:write, from Basic Information',
    );
  }
}

async function channel(client: WebClient, t: ApprovalTarget): Promise<CheckResult> {
  const name = `${t.displayName} approval channel`;
  const env = setting(t.key, 'approvalChannel');
  if (!t.approvalChannel) return fail(name, 'not set', `${env}: the channel id where cards are posted`);
  try {
    const res = await client.conversations.info({ channel: t.approvalChannel });
    const label = `#${res.channel?.name ?? t.approvalChannel}`;
    return res.channel?.is_member
      ? pass(name, `the bot is a member of ${label}`)
      : fail(
          name,
          `the bot is not a member of ${label}`,
          `${env}: invite the bot there (/invite @Access Desk)`,
        );
  } catch (e) {
    return fail(
      name,
      `${t.approvalChannel}: ${reason(e)}`,
      `${env}: the id of a channel the bot can see (a private one: invite the bot first)`,
    );
  }
}

async function approvers(client: WebClient, t: ApprovalTarget): Promise<CheckResult | null> {
  if (t.approvers.length === 0) return null;
  const name = `${t.displayName} approvers`;
  const problems: string[] = [];
  for (const user of t.approvers) {
    try {
      const res = await client.users.info({ user });
      if (res.user?.deleted) problems.push(`${user}: deactivated`);
    } catch (e) {
      problems.push(`${user}: ${reason(e)}`);
    }
  }
  return problems.length === 0
    ? pass(name, `${t.approvers.length} user${t.approvers.length === 1 ? '' : 's'} found`)
    : fail(
        name,
        problems.join('; '),
        `${setting(t.key, 'approvers')}: Slack user ids (U…) of active members`,
      );
}

async function groups(client: WebClient, t: ApprovalTarget): Promise<CheckResult | null> {
  if (t.approverGroups.length === 0) return null;
  const name = `${t.displayName} approver groups`;
  const found: string[] = [];
  const problems: string[] = [];
  for (const usergroup of t.approverGroups) {
    try {
      const res = await client.usergroups.users.list({ usergroup });
      found.push(`${usergroup}: ${res.users?.length ?? 0} members`);
    } catch (e) {
      problems.push(`${usergroup}: ${reason(e)}`);
    }
  }
  return problems.length === 0
    ? pass(name, found.join('; '))
    : fail(name, problems.join('; '), `${setting(t.key, 'approverGroups')}: Slack user-group ids (S…)`);
}

export async function slackChecks(
  slack: Config['slack'],
  targets: readonly ApprovalTarget[],
  manifestScopes: readonly string[],
): Promise<CheckResult[]> {
  // No retries: the doctor reports what Slack says now, at once.
  const options: WebClientOptions = { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } };
  const client = new WebClient(slack.botToken, options);
  const results = await botToken(client, manifestScopes);
  if (!results[0]?.ok) return results;
  if (slack.mode === 'socket') results.push(await appToken(options, slack.appToken));
  for (const t of targets) {
    results.push(await channel(client, t));
    for (const r of [await approvers(client, t), await groups(client, t)]) if (r) results.push(r);
  }
  return results;
}
