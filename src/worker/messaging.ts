/**
 * The seam between the worker's tasks and the chat (Teleport's `MessagingBot`): tasks say what to
 * tell whom in domain terms; `slack/slack-messaging.ts` renders the views and sends through the
 * gateway. Tasks import no Slack type, so their rules are tested over a fake in milliseconds.
 *
 * Each call sends at most one message, and each task makes at most one sending call. A task gets a
 * `Messaging` made for its job (`send-once.ts`) over the chat's `KeyedMessaging`: every message
 * carries the job's key, and an attempt that may follow one that sent looks for it before sending,
 * so a re-run job never repeats a message an earlier attempt delivered, even one killed mid-send.
 */
import type { ApprovalPolicy } from '../domain/approval-policy.ts';
import type { Facts, Outcome } from '../domain/facts.ts';
import type { AccessRequest, Approval, RequestStatus, SlackRef } from '../domain/request.ts';
import { AccessDeskError } from '../errors.ts';
import type { ThreadReply } from '../flows/jobs.ts';
import type { PayloadDescription } from '../vendors/provisioner.ts';

/** Everything the approval card shows; the card is re-rendered whole from it. */
export interface CardContent {
  request: AccessRequest;
  facts: Facts;
  vendorName: string;
  description: PayloadDescription;
  approvals: readonly Approval[];
  policy: ApprovalPolicy;
  expiresAt: Date;
}

type NoteReply = Extract<ThreadReply, { type: 'note' }>;

/** A reply in the card's thread. */
export type ThreadContent =
  | { type: 'decision'; approval: Approval; approvedCount: number; required: number; status: RequestStatus }
  | { type: 'outcome'; vendorName: string; status: RequestStatus; outcome: Outcome }
  /** Plain text from the flows; the views escape it and add the mentions it asks for. */
  | { type: 'note'; note: NoteReply; policy: ApprovalPolicy };

/** A message to one person: by DM, or privately in a channel. */
export type PersonalContent =
  | {
      /** Where the request went, just after the card was posted. */
      type: 'submitted';
      subject: string;
      vendorName: string;
      cardLink: string | null;
    }
  | {
      /** The final outcome (or denial, expiry). */
      type: 'outcome';
      vendorName: string;
      subject: string;
      status: RequestStatus;
      outcome?: Outcome;
      deniedBy?: string;
      denyReason?: string;
      justification?: string;
      cardLink: string | null;
    }
  | {
      /** A credential waits: the one-time Reveal button, never the value. */
      type: 'secret';
      requestId: string;
      subject: string;
      label: string;
      expiresAt: Date;
    };

/** A batch's per-user results as a CSV file in the card's thread, with a one-line summary. */
export interface ResultsFile {
  vendorName: string;
  headline: string;
  filename: string;
  csv: string;
}

/** The message cannot be updated any more (deleted, channel archived): post it again. */
export class MessageGoneError extends AccessDeskError {
  readonly code = 'message_gone';
}

/** What tasks see: what to tell whom, each message at most once across the job's attempts. */
export interface Messaging {
  /** Post the approval card; returns where it landed. */
  post(channel: string, card: CardContent): Promise<SlackRef>;
  /** Re-render a posted card. @throws MessageGoneError */
  update(ref: SlackRef, card: CardContent): Promise<void>;
  /** A hash of the card as post/update would send it: equal hashes, identical messages. */
  cardRender(card: CardContent): string;
  /** Delete one of the bot's own messages; one already gone is fine. */
  remove(ref: SlackRef): Promise<void>;
  /** One reply in the thread of `card`. */
  reply(card: SlackRef, content: ThreadContent): Promise<void>;
  /** One file in the thread of `card`. */
  replyFile(card: SlackRef, file: ResultsFile): Promise<void>;
  /** One direct message. */
  dm(userId: string, content: PersonalContent): Promise<void>;
  /** One message only `userId` sees, in `channel`. */
  ephemeral(channel: string, userId: string, content: PersonalContent): Promise<void>;
  /** A link to a message, or null when Slack cannot give one (never throws). */
  permalink(ref: SlackRef): Promise<string | null>;
}

/** Where a keyed message would be: top level in a channel, in a card's thread, or in a person's DM. */
export type Place = { channel: string } | { thread: SlackRef } | { dm: string };

/**
 * The chat under the tasks' Messaging: the messages that can be looked up again (card, reply, DM)
 * carry a key (Slack: message metadata), and `find` looks for one. A file carries no metadata: its
 * name carries the key instead, and `findFile` looks for it. Ephemerals cannot be looked up.
 */
export interface KeyedMessaging extends Omit<Messaging, 'post' | 'reply' | 'dm'> {
  post(channel: string, card: CardContent, key: string): Promise<SlackRef>;
  reply(card: SlackRef, content: ThreadContent, key: string): Promise<void>;
  dm(userId: string, content: PersonalContent, key: string): Promise<void>;
  /** The bot's message in `place` carrying `key`, posted at or after `since`; null when none. */
  find(place: Place, key: string, since: Date): Promise<SlackRef | null>;
  /** The bot's message in the thread of `card` sharing a file named `filename`, posted at or after `since`. */
  findFile(card: SlackRef, filename: string, since: Date): Promise<SlackRef | null>;
}
