/** chat.*, with Slack's errors and limits. */
import { z } from 'zod';
import { BlockSchema, type SlackBlock } from './block-kit-schemas.ts';
import type { FakeSlackState, MessageMetadata, StoredMessage } from './fake-slack-state.ts';
import { plainText } from './plain-text.ts';
import { checkMessage, checkUnfurl } from './slack-limits.ts';
import { fail, type MethodHandler, parseArgs, reject } from './web-api-common.ts';

const Content = {
  text: z.string().optional(),
  blocks: z.array(BlockSchema).optional(),
  attachments: z.array(z.unknown()).optional(),
};

/** Slack's message metadata: an event type and a free-form payload. */
const Metadata = z.object({
  event_type: z.string().min(1),
  event_payload: z.record(z.string(), z.unknown()),
});

const PostMessageArgs = z.looseObject({
  channel: z.string(),
  ...Content,
  metadata: Metadata.optional(),
  thread_ts: z.string().optional(),
  unfurl_links: z.boolean().optional(),
  unfurl_media: z.boolean().optional(),
});
const UpdateArgs = z.looseObject({ channel: z.string(), ts: z.string(), ...Content });
const EphemeralArgs = z.looseObject({
  channel: z.string(),
  user: z.string(),
  thread_ts: z.string().optional(),
  ...Content,
});
const DeleteArgs = z.looseObject({ channel: z.string(), ts: z.string() });
const PermalinkArgs = z.looseObject({ channel: z.string(), message_ts: z.string() });

export interface NewMessage {
  channel: string;
  text: string | undefined;
  blocks: SlackBlock[] | undefined;
  threadTs: string | undefined;
  unfurlLinks: boolean | undefined;
  unfurlMedia: boolean | undefined;
  metadata?: MessageMetadata | undefined;
  files?: Record<string, unknown>[] | undefined;
}

/** Stores a bot message that already passed the limit checks, and writes it to the transcript. */
export function storeBotMessage(state: FakeSlackState, m: NewMessage): StoredMessage {
  const stored: StoredMessage = {
    channel: m.channel,
    ts: state.nextTs(),
    threadTs: m.threadTs,
    user: state.identity.botUserId,
    text: m.text ?? '',
    blocks: m.blocks ?? [],
    edits: [],
    deleted: false,
    unfurlLinks: m.unfurlLinks,
    unfurlMedia: m.unfurlMedia,
    metadata: m.metadata,
    files: m.files,
  };
  state.messages.push(stored);
  const dm = state.channels.get(m.channel)?.dmUser;
  const kind = m.threadTs ? 'reply' : dm ? 'dm' : 'post';
  state.record({
    kind,
    channel: m.channel,
    user: dm,
    ts: stored.ts,
    threadTs: m.threadTs,
    text: plainText(stored),
  });
  return stored;
}

/** Applies an edit that already passed the limit checks. Omitted fields keep their value (Slack). */
export function editMessage(
  state: FakeSlackState,
  msg: StoredMessage,
  edit: { text?: string | undefined; blocks?: SlackBlock[] | undefined },
): void {
  msg.edits.push({ at: state.now(), text: msg.text, blocks: msg.blocks });
  if (edit.text !== undefined) msg.text = edit.text;
  if (edit.blocks !== undefined) msg.blocks = edit.blocks;
  state.record({
    kind: 'update',
    channel: msg.channel,
    ts: msg.ts,
    threadTs: msg.threadTs,
    text: plainText(msg),
  });
}

/** A message as Slack's methods return it; metadata only where the caller asked for it. */
export function messageJson(
  state: FakeSlackState,
  m: StoredMessage,
  opts: { metadata?: boolean } = {},
): Record<string, unknown> {
  return {
    type: 'message',
    ts: m.ts,
    user: m.user,
    bot_id: m.user === state.identity.botUserId ? state.identity.botId : undefined,
    text: m.text,
    blocks: m.blocks,
    thread_ts: m.threadTs,
    team: state.identity.teamId,
    ...(opts.metadata && m.metadata ? { metadata: m.metadata } : {}),
    ...(m.files ? { files: m.files, upload: true } : {}),
  };
}

const postMessage: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, PostMessageArgs, raw);
  if (!args.ok) return args.result;
  const a = args.value;
  const channel = ctx.state.resolveChannel(a.channel);
  if (channel === undefined) return fail('channel_not_found');
  const refused = reject(ctx, checkMessage(a));
  if (refused) return refused;
  ctx.state.recordViolations(ctx.method, checkUnfurl(a));
  const stored = storeBotMessage(ctx.state, {
    channel,
    text: a.text,
    blocks: a.blocks,
    threadTs: a.thread_ts,
    unfurlLinks: a.unfurl_links,
    unfurlMedia: a.unfurl_media,
    metadata: a.metadata,
  });
  return { ok: true, channel, ts: stored.ts, message: messageJson(ctx.state, stored, { metadata: true }) };
};

const update: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, UpdateArgs, raw);
  if (!args.ok) return args.result;
  const a = args.value;
  const msg = ctx.state.findMessage(a.channel, a.ts);
  if (msg === undefined) return fail('message_not_found');
  if (msg.user !== ctx.state.identity.botUserId) return fail('cant_update_message');
  const refused = reject(ctx, checkMessage({ text: a.text ?? msg.text, blocks: a.blocks ?? msg.blocks }));
  if (refused) return refused;
  editMessage(ctx.state, msg, a);
  return { ok: true, channel: msg.channel, ts: msg.ts, text: msg.text, message: messageJson(ctx.state, msg) };
};

const postEphemeral: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, EphemeralArgs, raw);
  if (!args.ok) return args.result;
  const a = args.value;
  const channel = ctx.state.resolveChannel(a.channel);
  if (channel === undefined) return fail('channel_not_found');
  if (!ctx.state.users.has(a.user)) return fail('user_not_found');
  const refused = reject(ctx, checkMessage(a));
  if (refused) return refused;
  const text = a.text ?? '';
  const blocks = a.blocks ?? [];
  ctx.state.ephemerals.push({
    channel,
    user: a.user,
    text,
    blocks,
    threadTs: a.thread_ts,
    at: ctx.state.now(),
  });
  ctx.state.record({
    kind: 'ephemeral',
    channel,
    user: a.user,
    threadTs: a.thread_ts,
    text: plainText({ text, blocks }),
  });
  return { ok: true, message_ts: ctx.state.nextTs() };
};

const deleteMessage: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, DeleteArgs, raw);
  if (!args.ok) return args.result;
  const msg = ctx.state.findMessage(args.value.channel, args.value.ts);
  if (msg === undefined) return fail('message_not_found');
  if (msg.user !== ctx.state.identity.botUserId) return fail('cant_delete_message');
  msg.deleted = true;
  ctx.state.record({ kind: 'delete', channel: msg.channel, ts: msg.ts, threadTs: msg.threadTs, text: '' });
  return { ok: true, channel: msg.channel, ts: msg.ts };
};

const getPermalink: MethodHandler = (ctx, raw) => {
  const args = parseArgs(ctx, PermalinkArgs, raw);
  if (!args.ok) return args.result;
  const msg = ctx.state.findMessage(args.value.channel, args.value.message_ts);
  if (msg === undefined) return fail('message_not_found');
  const thread = msg.threadTs ? `?thread_ts=${msg.threadTs}&cid=${msg.channel}` : '';
  const permalink = `https://${ctx.state.identity.teamDomain}.slack.com/archives/${msg.channel}/p${msg.ts.replace('.', '')}${thread}`;
  return { ok: true, channel: msg.channel, permalink };
};

export const CHAT_METHODS: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
};
