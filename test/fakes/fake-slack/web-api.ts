/** The fake's Web API: token check, method table, and the small identity/directory methods. */
import { z } from 'zod';
import { CHAT_METHODS } from './web-api-chat.ts';
import {
  fail,
  type MethodContext,
  type MethodHandler,
  type MethodResult,
  parseArgs,
} from './web-api-common.ts';
import { CONVERSATION_METHODS } from './web-api-conversations.ts';
import { FILE_METHODS } from './web-api-files.ts';
import { VIEW_METHODS } from './web-api-views.ts';

const authTest: MethodHandler = (ctx) => {
  const id = ctx.state.identity;
  return {
    ok: true,
    url: `https://${id.teamDomain}.slack.com/`,
    team: id.teamDomain,
    user: 'access-desk',
    team_id: id.teamId,
    user_id: id.botUserId,
    bot_id: id.botId,
    app_id: id.appId,
    is_enterprise_install: false,
  };
};

const usersInfo: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, z.looseObject({ user: z.string() }), raw);
  if (!args.ok) return args.result;
  const u = ctx.state.users.get(args.value.user);
  if (u === undefined) return fail('user_not_found');
  return {
    ok: true,
    user: {
      id: u.id,
      team_id: u.teamId,
      name: u.name,
      real_name: u.name,
      deleted: false,
      is_bot: u.isBot ?? false,
      profile: { real_name: u.name, display_name: u.name, email: u.email },
    },
  };
};

const usergroupUsers: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, z.looseObject({ usergroup: z.string() }), raw);
  if (!args.ok) return args.result;
  const members = ctx.state.userGroups.get(args.value.usergroup);
  return members === undefined ? fail('no_such_subteam') : { ok: true, users: [...members] };
};

const conversationsInfo: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, z.looseObject({ channel: z.string() }), raw);
  if (!args.ok) return args.result;
  const c = ctx.state.channels.get(args.value.channel);
  if (c === undefined || c.dmUser !== undefined) return fail('channel_not_found');
  return {
    ok: true,
    channel: {
      id: c.id,
      name: c.name,
      is_private: c.id.startsWith('G'),
      is_member: !ctx.state.botOutOf.has(c.id),
    },
  };
};

const connectionsOpen: MethodHandler = (ctx) => ({ ok: true, url: ctx.socketUrl() });

const METHODS: Record<string, MethodHandler> = {
  ...CHAT_METHODS,
  ...CONVERSATION_METHODS,
  ...VIEW_METHODS,
  ...FILE_METHODS,
  'auth.test': authTest,
  'users.info': usersInfo,
  'conversations.info': conversationsInfo,
  'usergroups.users.list': usergroupUsers,
  'apps.connections.open': connectionsOpen,
};

/** Slack's answers for a missing or wrong token; apps.connections.open alone takes the app token. */
function authError(ctx: MethodContext, token: string | undefined): string | undefined {
  if (token === undefined || token === '') return 'not_authed';
  const want =
    ctx.method === 'apps.connections.open' ? ctx.state.identity.appToken : ctx.state.identity.botToken;
  return token === want ? undefined : 'invalid_auth';
}

/** Runs one call and records it (method, args without token, outcome). Unknown methods are violations. */
export function callMethod(
  ctx: MethodContext,
  token: string | undefined,
  args: Record<string, unknown>,
): MethodResult {
  const handler = METHODS[ctx.method];
  let result: MethodResult;
  if (handler === undefined) {
    ctx.state.recordViolations(ctx.method, [
      { error: 'unknown_method', rule: 'method not implemented by the fake Slack', path: '' },
    ]);
    result = fail('unknown_method');
  } else {
    const denied = authError(ctx, token);
    result = denied ? fail(denied) : handler(ctx, args);
  }
  ctx.state.recordCall(ctx.method, args, result.ok ? undefined : (result.error ?? 'unknown'));
  return result;
}
