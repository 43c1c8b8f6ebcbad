/**
 * The worker's chat over Slack: the views render, the gateway sends (a keyed message carries its
 * key in Slack message metadata), the lookup finds a keyed message again. The only place where
 * worker content becomes Block Kit.
 */
import { createHash } from 'node:crypto';
import type { SlackRef } from '../domain/request.ts';
import {
  type CardContent,
  type KeyedMessaging,
  MessageGoneError,
  type PersonalContent,
  type Place,
  type ResultsFile,
  type ThreadContent,
} from '../worker/messaging.ts';
import type { SlackFiles } from './slack-files.ts';
import { type SlackGateway, type SlackMessage, SlackMessageGoneError } from './slack-gateway.ts';
import type { SlackSentLookup } from './slack-sent-lookup.ts';
import { resultsFileComment } from './views/file-comments.ts';
import {
  renderDecisionReply,
  renderNoteReply,
  renderOutcomeReply,
  renderRequesterDm,
  renderSecretDm,
  renderSubmittedNotice,
} from './views/messages.ts';
import { renderRequestCard } from './views/request-card.ts';

/** Card links kept, oldest dropped first: cards are linked to within minutes of being posted. */
const LINKS_KEPT = 1_000;

function renderThread(c: ThreadContent): SlackMessage {
  if (c.type === 'decision') return renderDecisionReply(c.approval, c.approvedCount, c.required, c.status);
  if (c.type === 'outcome') return renderOutcomeReply(c.vendorName, c.status, c.outcome);
  return renderNoteReply(c.note, c.policy);
}

function renderPersonal(c: PersonalContent): SlackMessage {
  if (c.type === 'submitted') return renderSubmittedNotice(c.subject, c.vendorName, c.cardLink);
  if (c.type === 'secret') return renderSecretDm(c.requestId, c.subject, c.label, c.expiresAt);
  const { type: _, ...notice } = c;
  return renderRequesterDm(notice);
}

export class SlackMessaging implements KeyedMessaging {
  readonly #gateway: SlackGateway;
  readonly #files: SlackFiles;
  readonly #lookup: SlackSentLookup;
  constructor(gateway: SlackGateway, files: SlackFiles, lookup: SlackSentLookup) {
    this.#gateway = gateway;
    this.#files = files;
    this.#lookup = lookup;
  }

  // cardRender then post/update renders each card once.
  readonly #rendered = new WeakMap<CardContent, SlackMessage>();
  #render(card: CardContent): SlackMessage {
    const known = this.#rendered.get(card);
    if (known) return known;
    const msg = renderRequestCard(card);
    this.#rendered.set(card, msg);
    return msg;
  }

  cardRender(card: CardContent): string {
    return createHash('sha256')
      .update(JSON.stringify(this.#render(card)))
      .digest('base64url');
  }

  post(channel: string, card: CardContent, key: string): Promise<SlackRef> {
    return this.#gateway.post(channel, this.#render(card), { key });
  }

  async update(ref: SlackRef, card: CardContent): Promise<void> {
    try {
      await this.#gateway.update(ref, this.#render(card));
    } catch (e) {
      if (e instanceof SlackMessageGoneError) throw new MessageGoneError(e.message, { cause: e });
      throw e;
    }
  }

  remove(ref: SlackRef): Promise<void> {
    return this.#gateway.delete(ref);
  }

  async reply(card: SlackRef, content: ThreadContent, key: string): Promise<void> {
    await this.#gateway.post(card.channel, renderThread(content), { threadTs: card.ts, key });
  }

  replyFile(card: SlackRef, file: ResultsFile): Promise<void> {
    return this.#files.toThread(card, {
      filename: file.filename,
      title: `${file.vendorName} results`,
      content: file.csv,
      comment: resultsFileComment(file.vendorName, file.headline),
    });
  }

  async dm(userId: string, content: PersonalContent, key: string): Promise<void> {
    await this.#gateway.dm(userId, renderPersonal(content), { key });
  }

  ephemeral(channel: string, userId: string, content: PersonalContent): Promise<void> {
    return this.#gateway.ephemeral(channel, userId, renderPersonal(content));
  }

  // A message's link never changes, and the submitted notice and the outcome DM both ask for the
  // card's: one chat.getPermalink per card (per process), not one per message that links to it.
  readonly #links = new Map<string, string>();

  async permalink(ref: SlackRef): Promise<string | null> {
    const key = `${ref.channel}/${ref.ts}`;
    const known = this.#links.get(key);
    if (known !== undefined) return known;
    const link = await this.#gateway.permalink(ref);
    if (link !== null) {
      this.#links.set(key, link);
      if (this.#links.size > LINKS_KEPT) this.#links.delete(this.#links.keys().next().value!);
    }
    return link;
  }

  find(place: Place, key: string, since: Date): Promise<SlackRef | null> {
    return this.#lookup.find(place, key, since);
  }

  findFile(card: SlackRef, filename: string, since: Date): Promise<SlackRef | null> {
    return this.#lookup.findFile(card, filename, since);
  }
}
