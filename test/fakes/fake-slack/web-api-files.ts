/**
 * Files, as @slack/web-api's filesUploadV2 and a bot that reads shared files use them
 * (docs.slack.dev: files.getUploadURLExternal, files.completeUploadExternal, files.info,
 * url_private_download): an upload URL taking the bytes (their length must be the one announced),
 * completion that shares the file into a channel or thread with its comment, and downloads that
 * need the bot token (401 without it). Scopes are enforced (files:read, files:write).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FakeSlackState, StoredMessage } from './fake-slack-state.ts';
import { LIMITS } from './slack-limits.ts';
import { storeBotMessage } from './web-api-chat.ts';
import { fail, type MethodContext, type MethodHandler, parseArgs, reject } from './web-api-common.ts';

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  /** Announced length (uploads) or the content's length (user files). */
  length: number;
  /** null until the upload URL received the bytes. */
  content: Buffer | null;
  /** Who put it in Slack: a user id, or the bot's user id. */
  owner: string;
  /** Where the bot shared it (completeUploadExternal), with the message that carries it. */
  sharedIn: { channel: string; threadTs: string | undefined; message: StoredMessage } | undefined;
  comment: string;
}

/** Slack's documented ceiling for one file (1 GB); the fake refuses larger announcements. */
const MAX_FILE_LENGTH = 1024 * 1024 * 1024;

export class FakeFileStore {
  readonly files = new Map<string, FakeFile>();
  /** Base URL of the fake's HTTP server (set once it listens). */
  baseUrl = '';
  /** Authorised downloads so far (file id each). */
  readonly downloads: string[] = [];
  #seq = 0;

  newId(): string {
    this.#seq += 1;
    return `F${String(this.#seq).padStart(9, '0')}`;
  }

  downloadUrl(f: FakeFile): string {
    return `${this.baseUrl}/files-pri/${f.id}/download/${encodeURIComponent(f.name)}`;
  }

  json(f: FakeFile): Record<string, unknown> {
    return {
      id: f.id,
      name: f.name,
      title: f.title,
      size: f.content?.length ?? f.length,
      filetype: f.name.endsWith('.csv') ? 'csv' : 'text',
      mimetype: f.name.endsWith('.csv') ? 'text/csv' : 'text/plain',
      user: f.owner,
      url_private: this.downloadUrl(f),
      url_private_download: this.downloadUrl(f),
    };
  }
}

const stores = new WeakMap<FakeSlackState, FakeFileStore>();

export function fileStore(state: FakeSlackState): FakeFileStore {
  let s = stores.get(state);
  if (s === undefined) {
    s = new FakeFileStore();
    stores.set(state, s);
  }
  return s;
}

function missingScope(ctx: MethodContext, scope: string) {
  return ctx.state.grantedScopes.includes(scope) ? undefined : { ...fail('missing_scope'), needed: scope };
}

const GetUrlArgs = z.looseObject({
  filename: z.string().min(1),
  length: z.coerce.number().int(),
  alt_text: z.string().optional(),
});

const getUploadUrl: MethodHandler = (ctx, raw) => {
  const scope = missingScope(ctx, 'files:write');
  if (scope) return scope;
  const args = parseArgs(ctx, GetUrlArgs, raw);
  if (!args.ok) return args.result;
  const { filename, length } = args.value;
  if (length < 1 || length > MAX_FILE_LENGTH) {
    return reject(ctx, [
      { error: 'invalid_arguments', rule: `file length 1…${MAX_FILE_LENGTH}`, path: 'length' },
    ])!;
  }
  const store = fileStore(ctx.state);
  const id = store.newId();
  store.files.set(id, {
    id,
    name: filename,
    title: filename,
    length,
    content: null,
    owner: ctx.state.identity.botUserId,
    sharedIn: undefined,
    comment: '',
  });
  return { ok: true, upload_url: `${store.baseUrl}/upload/${id}`, file_id: id };
};

const CompleteArgs = z.looseObject({
  files: z.preprocess(
    (v) => (typeof v === 'string' ? JSON.parse(v) : v),
    z.array(z.object({ id: z.string(), title: z.string().optional() })).min(1),
  ),
  channel_id: z.string().optional(),
  thread_ts: z.string().optional(),
  initial_comment: z.string().optional(),
});

const completeUpload: MethodHandler = (ctx, raw) => {
  const scope = missingScope(ctx, 'files:write');
  if (scope) return scope;
  const args = parseArgs(ctx, CompleteArgs, raw);
  if (!args.ok) return args.result;
  const a = args.value;
  const store = fileStore(ctx.state);
  const files: FakeFile[] = [];
  for (const f of a.files) {
    const file = store.files.get(f.id);
    if (file === undefined || file.content === null) return fail('file_not_found');
    files.push(file);
  }
  if (a.thread_ts !== undefined && a.channel_id === undefined) {
    return reject(ctx, [
      { error: 'invalid_arguments', rule: 'thread_ts needs channel_id', path: 'thread_ts' },
    ])!;
  }
  const comment = a.initial_comment ?? '';
  if (comment.length > LIMITS.messageText) {
    return reject(ctx, [
      { error: 'msg_too_long', rule: `initial_comment ≤ ${LIMITS.messageText}`, path: 'initial_comment' },
    ])!;
  }
  if (a.channel_id !== undefined) {
    const channel = ctx.state.channels.get(a.channel_id);
    if (channel === undefined) return fail('channel_not_found');
    if (ctx.state.botOutOf.has(channel.id)) return fail('not_in_channel');
    if (a.thread_ts !== undefined && ctx.state.findMessage(channel.id, a.thread_ts) === undefined) {
      return fail('invalid_thread_ts');
    }
    for (const [i, file] of files.entries()) {
      file.title = a.files[i]?.title ?? file.title;
      file.comment = comment;
    }
    // Slack posts one message carrying the files (in the thread with thread_ts): readers of the
    // channel or thread see them in its `files[]`.
    const message = storeBotMessage(ctx.state, {
      channel: channel.id,
      text: `${comment}${comment ? '\n' : ''}${files.map((f) => `[file ${f.title}]`).join(' ')}`,
      blocks: undefined,
      threadTs: a.thread_ts,
      unfurlLinks: undefined,
      unfurlMedia: undefined,
      files: files.map((f) => store.json(f)),
    });
    for (const file of files) file.sharedIn = { channel: channel.id, threadTs: a.thread_ts, message };
  }
  ctx.state.changed();
  return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
};

const InfoArgs = z.looseObject({ file: z.string() });

const filesInfo: MethodHandler = (ctx, raw) => {
  const scope = missingScope(ctx, 'files:read');
  if (scope) return scope;
  const args = parseArgs(ctx, InfoArgs, raw);
  if (!args.ok) return args.result;
  const store = fileStore(ctx.state);
  const file = store.files.get(args.value.file);
  if (file === undefined || file.content === null) return fail('file_not_found');
  return { ok: true, file: store.json(file) };
};

export const FILE_METHODS: Record<string, MethodHandler> = {
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
  'files.info': filesInfo,
};

/**
 * The bytes of an upload: the body itself, or (what @slack/web-api sends) the one file part of a
 * multipart/form-data body. Null when a multipart body has no file part.
 */
async function uploadedBytes(req: IncomingMessage, body: Buffer): Promise<Buffer | null> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return null;
}

/**
 * The two non-API routes: POST /upload/<id> (the upload URL; the bytes) and
 * GET /files-pri/<id>/download/<name> (bot token required). Resolves false for other paths.
 */
export async function handleFileRoute(
  state: FakeSlackState,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  url: URL,
): Promise<boolean> {
  const store = fileStore(state);
  const upload = /^\/upload\/(F\d+)$/.exec(url.pathname);
  const download = /^\/files-pri\/(F\d+)\/download\/[^/]+$/.exec(url.pathname);
  if (upload && req.method === 'POST') {
    const file = store.files.get(upload[1]!);
    if (file === undefined || file.content !== null) {
      res.writeHead(404).end('not found');
      return true;
    }
    const bytes = await uploadedBytes(req, body);
    if (bytes === null || bytes.length !== file.length) {
      state.recordViolations('upload_url', [
        {
          error: 'length_mismatch',
          rule: `uploaded ${bytes?.length ?? 'no'} bytes, announced ${file.length} in files.getUploadURLExternal`,
          path: url.pathname,
        },
      ]);
      res.writeHead(400).end('length mismatch');
      return true;
    }
    file.content = bytes;
    state.changed();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
    return true;
  }
  if (download && req.method === 'GET') {
    const file = store.files.get(download[1]!);
    if (req.headers.authorization !== `Bearer ${state.identity.botToken}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('not authed');
      return true;
    }
    if (file === undefined || file.content === null) {
      res.writeHead(404).end('not found');
      return true;
    }
    store.downloads.push(file.id);
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.content);
    return true;
  }
  return false;
}
