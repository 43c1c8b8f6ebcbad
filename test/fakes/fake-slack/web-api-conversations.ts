/**
 * conversations.open, .history and .replies with Slack's shapes, scopes and limits: history is
 * newest first and top level only, replies are the parent then the thread oldest first, both
 * cursor-paginated (`response_metadata.next_cursor`, `has_more`), `oldest`/`latest` exclusive
 * unless `inclusive`, and message metadata only with `include_all_metadata`.
 */
import { z } from 'zod';
import type { FakeSlackState, StoredMessage } from './fake-slack-state.ts';
import { messageJson } from './web-api-chat.ts';
import {
  fail,
  type MethodContext,
  type MethodHandler,
  type MethodResult,
  parseArgs,
} from './web-api-common.ts';

/** Slack: history's limit defaults to 100 and is capped at 999; replies' defaults to and caps at 1000. */
export const HISTORY_LIMIT = { default: 100, max: 999 } as const;
export const REPLIES_LIMIT = { default: 1000, max: 1000 } as const;

const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);
const ReadArgs = z.looseObject({
  channel: z.string(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().positive().optional(),
  oldest: z.string().optional(),
  latest: z.string().optional(),
  inclusive: flag.optional(),
  include_all_metadata: flag.optional(),
});
const RepliesArgs = ReadArgs.extend({ ts: z.string() });
const OpenArgs = z.looseObject({ users: z.string().optional(), channel: z.string().optional() });

/** The scope a bot token needs to read a conversation, by the kind its id says. */
function historyScope(channel: string): string {
  if (channel.startsWith('D')) return 'im:history';
  if (channel.startsWith('G')) return 'groups:history';
  return 'channels:history';
}

function missingScope(state: FakeSlackState, needed: readonly string[]): MethodResult | undefined {
  if (needed.some((s) => state.grantedScopes.includes(s))) return undefined;
  return {
    ok: false,
    error: 'missing_scope',
    needed: needed.join(','),
    provided: state.grantedScopes.join(','),
  };
}

/** The conversation a read names, or Slack's refusal. */
function readable(state: FakeSlackState, channel: string): MethodResult | undefined {
  // Channels exist in the fake once named (as chat.postMessage treats them); DMs once opened.
  const known = /^[CG]/.test(channel) ? state.resolveChannel(channel) : state.channels.get(channel)?.id;
  if (known === undefined) return fail('channel_not_found');
  if (state.botOutOf.has(channel)) return fail('not_in_channel');
  return missingScope(state, [historyScope(channel)]);
}

const encodeCursor = (ts: string) => Buffer.from(`next_ts:${ts}`).toString('base64');
function decodeCursor(cursor: string): string | undefined {
  const m = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m?.[1];
}

const tsNum = (ts: string) => Number(ts);

/** Within (oldest, latest), or [oldest, latest] when inclusive. */
function inWindow(m: StoredMessage, a: z.infer<typeof ReadArgs>): boolean {
  const t = tsNum(m.ts);
  const oldest = a.oldest === undefined ? Number.NEGATIVE_INFINITY : tsNum(a.oldest);
  const latest = a.latest === undefined ? Number.POSITIVE_INFINITY : tsNum(a.latest);
  return a.inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
}

/**
 * One page of `ordered` after the cursor's message (exclusive), with Slack's paging fields. An
 * empty `next_cursor` is what Slack sends on the last page.
 */
function page(
  ctx: MethodContext,
  ordered: StoredMessage[],
  a: z.infer<typeof ReadArgs>,
  limits: { default: number; max: number },
  lead: StoredMessage[] = [],
): MethodResult {
  let start = 0;
  if (a.cursor !== undefined && a.cursor !== '') {
    const after = decodeCursor(a.cursor);
    const i = after === undefined ? -1 : ordered.findIndex((m) => m.ts === after);
    if (i < 0) return fail('invalid_cursor');
    start = i + 1;
  }
  const limit = Math.min(a.limit ?? limits.default, limits.max);
  const first = start === 0 ? lead : [];
  const taken = ordered.slice(start, start + Math.max(0, limit - first.length));
  const hasMore = start + taken.length < ordered.length;
  const last = taken.at(-1);
  return {
    ok: true,
    messages: [...first, ...taken].map((m) =>
      messageJson(ctx.state, m, { metadata: a.include_all_metadata }),
    ),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore && last ? encodeCursor(last.ts) : '' },
  };
}

const history: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, ReadArgs, raw);
  if (!args.ok) return args.result;
  const a = args.value;
  const refused = readable(ctx.state, a.channel);
  if (refused) return refused;
  const top = ctx.state.messages
    .filter((m) => m.channel === a.channel && m.threadTs === undefined && !m.deleted && inWindow(m, a))
    .sort((x, y) => tsNum(y.ts) - tsNum(x.ts));
  return { ...page(ctx, top, a, HISTORY_LIMIT), pin_count: 0 };
};

const replies: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, RepliesArgs, raw);
  if (!args.ok) return args.result;
  const a = args.value;
  const refused = readable(ctx.state, a.channel);
  if (refused) return refused;
  const parent = ctx.state.findMessage(a.channel, a.ts);
  if (parent === undefined) return fail('thread_not_found');
  const thread = ctx.state.messages
    .filter((m) => m.channel === a.channel && m.threadTs === a.ts && !m.deleted && inWindow(m, a))
    .sort((x, y) => tsNum(x.ts) - tsNum(y.ts));
  // The parent comes first on the first page, whatever the window.
  return page(ctx, thread, a, REPLIES_LIMIT, [parent]);
};

const open: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, OpenArgs, raw);
  if (!args.ok) return args.result;
  const refused = missingScope(ctx.state, ['im:write', 'mpim:write', 'channels:manage', 'groups:write']);
  if (refused) return refused;
  if (args.value.channel !== undefined) {
    return ctx.state.channels.has(args.value.channel)
      ? { ok: true, channel: { id: args.value.channel } }
      : fail('channel_not_found');
  }
  const users = (args.value.users ?? '').split(',').filter(Boolean);
  const [only] = users;
  if (only === undefined) return fail('users_list_not_supplied');
  if (users.some((u) => !ctx.state.users.has(u))) return fail('user_not_found');
  if (users.length > 1) {
    const id = `G${users.join('')}`;
    ctx.state.resolveChannel(id);
    return { ok: true, channel: { id } };
  }
  return { ok: true, channel: { id: ctx.state.dmChannelOf(only) } };
};

export const CONVERSATION_METHODS: Record<string, MethodHandler> = {
  'conversations.open': open,
  'conversations.history': history,
  'conversations.replies': replies,
};
