/**
 * Inbound payloads in the shapes Slack sends (docs.slack.dev: slash command, block_actions,
 * view_submission, view_closed, app_home_opened event_callback), with only the fields bots use.
 */
import type { SlackElement } from './block-kit-schemas.ts';
import type { FakeSlackState, StoredMessage, StoredView } from './fake-slack-state.ts';
import type { StateValue } from './view-values.ts';
import { messageJson } from './web-api-chat.ts';
import { viewJson } from './web-api-views.ts';

function userJson(state: FakeSlackState, id: string): Record<string, unknown> {
  const u = state.ensureUser(id);
  return { id: u.id, username: u.name, name: u.name, team_id: u.teamId };
}

const teamJson = (state: FakeSlackState) => ({
  id: state.identity.teamId,
  domain: state.identity.teamDomain,
});

export interface SlashCommandInit {
  user: string;
  command: string;
  text: string;
  channel: string;
  triggerId: string;
  responseUrl: string;
}

/** Every field is a string: Slack form-encodes commands, and Socket Mode keeps the same shape. */
export function slashCommandPayload(state: FakeSlackState, c: SlashCommandInit): Record<string, unknown> {
  const user = state.ensureUser(c.user);
  return {
    token: 'fake-verification-token',
    team_id: state.identity.teamId,
    team_domain: state.identity.teamDomain,
    channel_id: c.channel,
    channel_name: state.channels.get(c.channel)?.name ?? c.channel.toLowerCase(),
    user_id: user.id,
    user_name: user.name,
    command: c.command,
    text: c.text,
    api_app_id: state.identity.appId,
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  };
}

export interface ActionInit {
  user: string;
  element: SlackElement;
  blockId: string;
  value: string | undefined;
  triggerId: string;
}

function actionJson(state: FakeSlackState, a: ActionInit): Record<string, unknown> {
  return {
    type: a.element.type,
    action_id: a.element.action_id,
    block_id: a.blockId,
    text: a.element.text,
    value: a.value,
    action_ts: String(state.now().getTime() / 1000),
  };
}

const base = (state: FakeSlackState, user: string, triggerId: string) => ({
  user: userJson(state, user),
  api_app_id: state.identity.appId,
  token: 'fake-verification-token',
  trigger_id: triggerId,
  team: teamJson(state),
  enterprise: null,
  is_enterprise_install: false,
});

export function messageActionPayload(
  state: FakeSlackState,
  a: ActionInit & { message: StoredMessage; responseUrl: string },
): Record<string, unknown> {
  return {
    type: 'block_actions',
    ...base(state, a.user, a.triggerId),
    container: {
      type: 'message',
      message_ts: a.message.ts,
      channel_id: a.message.channel,
      is_ephemeral: false,
    },
    channel: {
      id: a.message.channel,
      name: state.channels.get(a.message.channel)?.name ?? a.message.channel,
    },
    message: messageJson(state, a.message),
    state: { values: {} },
    response_url: a.responseUrl,
    actions: [actionJson(state, a)],
  };
}

export function viewActionPayload(
  state: FakeSlackState,
  a: ActionInit & { view: StoredView },
): Record<string, unknown> {
  return {
    type: 'block_actions',
    ...base(state, a.user, a.triggerId),
    container: { type: 'view', view_id: a.view.id },
    view: viewJson(state, a.view),
    actions: [actionJson(state, a)],
  };
}

export function viewSubmissionPayload(
  state: FakeSlackState,
  user: string,
  view: StoredView,
  values: Record<string, Record<string, StateValue>>,
  triggerId: string,
): Record<string, unknown> {
  return {
    type: 'view_submission',
    ...base(state, user, triggerId),
    view: viewJson(state, view, values),
    response_urls: [],
  };
}

export function viewClosedPayload(
  state: FakeSlackState,
  user: string,
  view: StoredView,
): Record<string, unknown> {
  const { trigger_id: _none, ...rest } = base(state, user, '');
  return { type: 'view_closed', ...rest, view: viewJson(state, view), is_cleared: false };
}

export function appHomeOpenedPayload(
  state: FakeSlackState,
  user: string,
  view: StoredView | undefined,
): Record<string, unknown> {
  const seconds = state.now().getTime() / 1000;
  const event: Record<string, unknown> = {
    type: 'app_home_opened',
    user,
    channel: state.dmChannelOf(user),
    tab: 'home',
    event_ts: seconds.toFixed(6),
  };
  if (view) event.view = viewJson(state, view);
  return {
    token: 'fake-verification-token',
    team_id: state.identity.teamId,
    api_app_id: state.identity.appId,
    event,
    type: 'event_callback',
    event_id: `Ev${String(state.nextSeq()).padStart(8, '0')}`,
    event_time: Math.floor(seconds),
    authorizations: [
      {
        enterprise_id: null,
        team_id: state.identity.teamId,
        user_id: state.identity.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
