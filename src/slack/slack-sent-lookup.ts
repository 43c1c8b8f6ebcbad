/**
 * Finds a message the bot posted with a given key in its metadata (worker/send-once.ts): in a
 * channel (`conversations.history`), a thread (`conversations.replies`) or a person's DM
 * (`conversations.open`, then its history); or the message sharing a file of a given name in a
 * thread (an upload carries no metadata; its name carries the key). Only re-run jobs ask, so these
 * reads are rare. Needs channels:history, groups:history, im:history and im:write (manifest.yml).
 */
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { SlackRef } from '../domain/request.ts';
import type { Logger } from '../observability/logger.ts';
import type { Place } from '../worker/messaging.ts';
import { mapSlackError, SENT_EVENT_TYPE } from './slack-gateway.ts';

/** Slack recommends pages of at most 200 messages. */
const PAGE = 200;

const pageSchema = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z
          .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
          .optional(),
        files: z.array(z.object({ name: z.string().optional() })).optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** Without these, an old install cannot look; the message is sent (it may repeat) rather than lost. */
const NOT_GRANTED = new Set(['missing_scope', 'not_allowed_token_type']);

type Message = z.infer<typeof pageSchema>['messages'][number];

export class SlackSentLookup {
  readonly #client: WebClient;
  readonly #log: Logger;
  constructor(client: WebClient, log: Logger) {
    this.#client = client;
    this.#log = log;
  }

  find(place: Place, key: string, since: Date): Promise<SlackRef | null> {
    const carriesKey = (m: Message) =>
      m.metadata?.event_type === SENT_EVENT_TYPE && m.metadata.event_payload?.key === key;
    return this.#look(key, async () => {
      if ('thread' in place) return this.#scan(place.thread.channel, carriesKey, since, place.thread.ts);
      const channel = 'dm' in place ? await this.#dmChannel(place.dm) : place.channel;
      return this.#scan(channel, carriesKey, since);
    });
  }

  findFile(card: SlackRef, filename: string, since: Date): Promise<SlackRef | null> {
    const sharesFile = (m: Message) => m.files?.some((f) => f.name === filename) ?? false;
    return this.#look(filename, () => this.#scan(card.channel, sharesFile, since, card.ts));
  }

  async #look(key: string, scan: () => Promise<SlackRef | null>): Promise<SlackRef | null> {
    try {
      return await scan();
    } catch (e) {
      if (e instanceof WebAPIPlatformError && NOT_GRANTED.has(e.data.error)) {
        this.#log.error(
          { key, slackError: e.data.error },
          'cannot look in Slack for a message an earlier attempt may have sent; sending it (it may repeat). ' +
            'Fix: reinstall the app with the scopes of manifest.yml (npm run doctor lists the missing ones)',
        );
        return null;
      }
      throw mapSlackError(e);
    }
  }

  async #dmChannel(userId: string): Promise<string> {
    const res = await this.#client.conversations.open({ users: userId, return_im: false });
    const id = res.channel?.id;
    if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
    return id;
  }

  /** Newest first (history) or oldest first (replies), page by page, back to `since`. */
  async #scan(
    channel: string,
    matches: (m: Message) => boolean,
    since: Date,
    threadTs?: string,
  ): Promise<SlackRef | null> {
    const oldest = (Math.floor(since.getTime() / 1000) - 1).toString();
    let cursor: string | undefined;
    do {
      const args = {
        channel,
        oldest,
        limit: PAGE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      };
      const raw = threadTs
        ? await this.#client.conversations.replies({ ...args, ts: threadTs })
        : await this.#client.conversations.history(args);
      const page = pageSchema.parse(raw);
      const hit = page.messages.find(matches);
      if (hit) return { channel, ts: hit.ts };
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return null;
  }
}
