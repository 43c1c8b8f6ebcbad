/**
 * Files in and out of Slack. In: a file a user shared (file_input, or a CSV dropped in the DM),
 * read by id with files.info and downloaded from `url_private_download` with the bot token — only
 * from Slack's own file host, so the token never goes anywhere else — under a size cap. Out: a CSV
 * through files.uploadV2 (getUploadURLExternal → upload → completeUploadExternal), into a thread or
 * a person's DM (conversations.open), never anywhere else.
 */
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { SlackRef } from '../domain/request.ts';
import { AccessDeskError } from '../errors.ts';

/** 10,000 users at about 200 bytes a row, with room to spare. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Why a shared file could not be read, in words for the person who shared it. */
export class FileRefusedError extends AccessDeskError {
  readonly code = 'file_refused';
  readonly reason: string;
  constructor(reason: string) {
    super(`file refused: ${reason}`);
    this.reason = reason;
  }
}

const fileInfoSchema = z.object({
  file: z.object({
    id: z.string(),
    name: z.string().default('file.csv'),
    size: z.number().int().nonnegative(),
    filetype: z.string().optional(),
    mimetype: z.string().optional(),
    url_private_download: z.string().url().optional(),
  }),
});

const openSchema = z.object({ channel: z.object({ id: z.string() }) });

export interface DownloadedFile {
  id: string;
  name: string;
  text: string;
}

export interface OutgoingFile {
  filename: string;
  title: string;
  content: string;
  /** mrkdwn the views wrote (escaped). */
  comment: string;
}

export class SlackFiles {
  readonly #client: WebClient;
  readonly #token: string;
  readonly #hosts: ReadonlySet<string>;
  readonly #maxBytes: number;

  /** `apiUrl`: SLACK_API_URL; its origin, and files.slack.com, are where file downloads may go. */
  constructor(client: WebClient, opts: { token: string; apiUrl: string; maxBytes?: number }) {
    this.#client = client;
    this.#token = opts.token;
    this.#hosts = new Set(['https://files.slack.com', new URL(opts.apiUrl).origin]);
    this.#maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  }

  /** @throws FileRefusedError (too large, not text, gone, not on Slack's file host) */
  async download(fileId: string, signal?: AbortSignal): Promise<DownloadedFile> {
    let info: z.infer<typeof fileInfoSchema>['file'];
    try {
      info = fileInfoSchema.parse(await this.#client.files.info({ file: fileId })).file;
    } catch (e) {
      if (e instanceof WebAPIPlatformError)
        throw new FileRefusedError(`Slack would not give the file (${e.data.error}).`);
      throw e;
    }
    const mb = (this.#maxBytes / 1024 / 1024).toFixed(0);
    if (info.size > this.#maxBytes) throw new FileRefusedError(`${info.name} is larger than ${mb} MB.`);
    const url = info.url_private_download;
    if (!url || !this.#hosts.has(new URL(url).origin)) {
      throw new FileRefusedError(`${info.name} is not stored by Slack, so it cannot be read.`);
    }
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${this.#token}` },
      redirect: 'error',
      signal: signal ?? AbortSignal.timeout(20_000),
    });
    if (!res.ok || !res.body) throw new FileRefusedError(`Slack answered ${res.status} for ${info.name}.`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > this.#maxBytes) throw new FileRefusedError(`${info.name} is larger than ${mb} MB.`);
      chunks.push(chunk);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    } catch {
      throw new FileRefusedError(`${info.name} is not UTF-8 text; save it as "CSV UTF-8".`);
    }
    return { id: info.id, name: info.name, text };
  }

  /** One file in a thread. */
  async toThread(ref: SlackRef, file: OutgoingFile): Promise<void> {
    await this.#upload(ref.channel, ref.ts, file);
  }

  /** One file in the person's DM with the bot; returns the DM's channel id. */
  async toPerson(userId: string, file: OutgoingFile): Promise<string> {
    const { channel } = openSchema.parse(await this.#client.conversations.open({ users: userId }));
    await this.#upload(channel.id, undefined, file);
    return channel.id;
  }

  async #upload(channel: string, threadTs: string | undefined, file: OutgoingFile): Promise<void> {
    const common = {
      filename: file.filename,
      title: file.title,
      content: file.content,
      initial_comment: file.comment,
    };
    await this.#client.filesUploadV2(
      threadTs ? { ...common, channel_id: channel, thread_ts: threadTs } : { ...common, channel_id: channel },
    );
  }
}
