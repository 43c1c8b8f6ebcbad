/**
 * Everything the bot posts outside a listener's ack path goes through here: post, update, thread
 * reply, DM, ephemeral, permalink. Slack's failures become two typed errors the worker acts on
 * (Grafana OnCall's lesson): a message that is gone is reposted, a rate limit delays the job.
 * Every message has unfurling off, so a link never expands into the channel.
 */
import type { types } from '@slack/bolt';
import { WebAPIPlatformError, WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { SlackRef } from '../domain/request.ts';
import { AccessDeskError, RetryLaterError } from '../errors.ts';

export type KnownBlock = types.KnownBlock;
export type View = types.View;

export interface SlackMessage {
  /** Notification / fallback text (also what screen readers get). */
  text: string;
  blocks?: KnownBlock[];
}

/** Slack message metadata: the event type of every keyed message the worker posts. */
export const SENT_EVENT_TYPE = 'access_desk_job';

export const sentMetadata = (key: string) => ({ event_type: SENT_EVENT_TYPE, event_payload: { key } });

export interface PostOptions {
  /** Post as a reply in the thread of this message. */
  threadTs?: string;
  /** The sending job's key (worker/send-once.ts), kept in the message's metadata. */
  key?: string;
}

export class SlackMessageGoneError extends AccessDeskError {
  readonly code = 'slack_message_gone';
  constructor(slackError: string) {
    super(`Slack message can no longer be updated (${slackError})`);
  }
}

/** A rate limit is a reason to run the job again after Slack's Retry-After. */
export class SlackRateLimitedError extends RetryLaterError {
  override readonly code = 'slack_rate_limited';
  constructor(retryAfterSec: number) {
    super(retryAfterSec * 1000, `Slack rate limit; retry after ${retryAfterSec}s`);
  }
}

const GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found', 'is_archived']);

export function mapSlackError(e: unknown): unknown {
  if (e instanceof WebAPIRateLimitedError) return new SlackRateLimitedError(e.retryAfter);
  if (e instanceof WebAPIPlatformError && e.data.error === 'ratelimited')
    return new SlackRateLimitedError(30);
  return e;
}

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

export class SlackGateway {
  readonly #client: WebClient;
  constructor(client: WebClient) {
    this.#client = client;
  }

  /** `key`, when given, goes into the message's metadata so that `SlackSentLookup` can find it. */
  async post(channel: string, msg: SlackMessage, opts: PostOptions = {}): Promise<SlackRef> {
    try {
      const res = await this.#client.chat.postMessage({
        channel,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks } : {}),
        ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
        ...(opts.key ? { metadata: sentMetadata(opts.key) } : {}),
        ...NO_UNFURL,
      });
      return { channel: res.channel ?? channel, ts: res.ts ?? '' };
    } catch (e) {
      throw mapSlackError(e);
    }
  }

  /** @throws SlackMessageGoneError when the message was deleted or cannot be edited any more */
  async update(ref: SlackRef, msg: SlackMessage): Promise<void> {
    try {
      await this.#client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        text: msg.text,
        blocks: msg.blocks ?? [],
        ...NO_UNFURL,
      });
    } catch (e) {
      if (e instanceof WebAPIPlatformError && GONE.has(e.data.error))
        throw new SlackMessageGoneError(e.data.error);
      throw mapSlackError(e);
    }
  }

  /** Remove one of the bot's own messages; one that is already gone is fine. */
  async delete(ref: SlackRef): Promise<void> {
    try {
      await this.#client.chat.delete({ channel: ref.channel, ts: ref.ts });
    } catch (e) {
      if (!(e instanceof WebAPIPlatformError && GONE.has(e.data.error))) throw mapSlackError(e);
    }
  }

  /** A direct message from the bot (lands in the app's Messages tab). */
  async dm(userId: string, msg: SlackMessage, opts: Pick<PostOptions, 'key'> = {}): Promise<SlackRef> {
    return this.post(userId, msg, opts);
  }

  async ephemeral(channel: string, userId: string, msg: SlackMessage): Promise<void> {
    try {
      await this.#client.chat.postEphemeral({
        channel,
        user: userId,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks } : {}),
      });
    } catch (e) {
      throw mapSlackError(e);
    }
  }

  async permalink(ref: SlackRef): Promise<string | null> {
    try {
      const res = await this.#client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
      return res.permalink ?? null;
    } catch {
      // A missing link only makes a message less convenient, never wrong.
      return null;
    }
  }
}
