/**
 * Everything the fake workspace knows: people, groups, channels, what the bot said and showed, and a
 * record of every Web API call. Every mutation goes through `changed()`, which is what `waitFor`
 * re-evaluates on.
 */
import type { SlackBlock, SlackViewInput } from './block-kit-schemas.ts';
import type { LimitIssue } from './slack-limits.ts';

/** Who the fake workspace and the bot under test are. */
export interface SlackIdentity {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  botToken: string;
  appToken: string;
}

export interface FakeUser {
  id: string;
  name: string;
  teamId: string;
  email?: string | undefined;
  isBot?: boolean | undefined;
}

export interface MessageEdit {
  at: Date;
  text: string;
  blocks: SlackBlock[];
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** Set on thread replies only (never equal to `ts`). */
  threadTs: string | undefined;
  /** Posting user id; the bot's user id for the bot's own posts. */
  user: string;
  text: string;
  blocks: SlackBlock[];
  /** Earlier versions, oldest first; the current content is `text`/`blocks`. */
  edits: MessageEdit[];
  deleted: boolean;
  unfurlLinks: boolean | undefined;
  unfurlMedia: boolean | undefined;
  /** Slack message metadata as posted; returned only to readers that ask (include_all_metadata). */
  metadata?: MessageMetadata | undefined;
  /** A file share's files as Slack shows them in the message (`files[]`: id, name, title, …). */
  files?: Record<string, unknown>[] | undefined;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: SlackBlock[];
  threadTs: string | undefined;
  at: Date;
}

export interface StoredView {
  id: string;
  user: string;
  type: 'modal' | 'home';
  callbackId: string;
  privateMetadata: string;
  blocks: SlackBlock[];
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  externalId: string;
  /** The view exactly as the bot last sent it. */
  view: SlackViewInput;
  open: boolean;
}

export interface ApiCall {
  method: string;
  /** Arguments as decoded by the fake, with any `token` removed. */
  args: Record<string, unknown>;
  at: Date;
  ok: boolean;
  error: string | undefined;
}

export interface Violation extends LimitIssue {
  method: string;
  at: Date;
}

export type TranscriptKind =
  | 'post'
  | 'reply'
  | 'dm'
  | 'update'
  | 'delete'
  | 'ephemeral'
  | 'view_open'
  | 'view_update'
  | 'view_push'
  | 'home';

export interface TranscriptEntry {
  seq: number;
  at: Date;
  kind: TranscriptKind;
  channel?: string | undefined;
  user?: string | undefined;
  ts?: string | undefined;
  threadTs?: string | undefined;
  viewId?: string | undefined;
  text: string;
}

/** Where a response_url posts: the acting user, the channel, and the message clicked (if any). */
export interface ResponseTarget {
  user: string;
  channel: string;
  messageTs: string | undefined;
  issuedAt: Date;
  uses: number;
}

/** What an install of manifest.yml grants, unless a test says otherwise. */
export const DEFAULT_SCOPES = [
  'chat:write',
  'commands',
  'files:read',
  'files:write',
  'im:history',
  'im:write',
  'usergroups:read',
  'channels:read',
  'groups:read',
  'users:read',
  'channels:history',
  'groups:history',
  'im:history',
  'im:write',
];

/** Slack: a trigger_id works once and for 3 seconds. */
export const TRIGGER_TTL_MS = 3000;

export class FakeSlackState {
  readonly identity: SlackIdentity;
  readonly users = new Map<string, FakeUser>();
  readonly userGroups = new Map<string, string[]>();
  readonly channels = new Map<string, { id: string; name: string; dmUser: string | undefined }>();
  /** Channels the bot has been removed from (conversations.info says is_member: false). */
  readonly botOutOf = new Set<string>();
  /** Bot scopes the token was granted, sent as x-oauth-scopes on every Web API answer. */
  grantedScopes: string[] = [...DEFAULT_SCOPES];
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: StoredEphemeral[] = [];
  readonly views = new Map<string, StoredView>();
  /** Open modal stack per user, bottom first (Slack allows three). */
  readonly modalStacks = new Map<string, string[]>();
  readonly homeTabs = new Map<string, string>();
  readonly triggers = new Map<string, { user: string; issuedAt: Date; used: boolean }>();
  readonly responseUrls = new Map<string, ResponseTarget>();
  readonly calls: ApiCall[] = [];
  readonly violations: Violation[] = [];
  readonly transcript: TranscriptEntry[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #now: () => Date;
  #seq = 0;

  constructor(identity: SlackIdentity, now: () => Date) {
    this.identity = identity;
    this.#now = now;
  }

  now(): Date {
    return this.#now();
  }

  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** Slack message ts: epoch seconds by the fake's clock, plus a sequence that keeps it unique. */
  nextTs(): string {
    const seconds = Math.floor(this.now().getTime() / 1000);
    return `${seconds}.${String(this.nextSeq()).padStart(6, '0')}`;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  changed(): void {
    for (const l of [...this.#listeners]) l();
  }

  ensureUser(id: string): FakeUser {
    const known = this.users.get(id);
    if (known) return known;
    const user: FakeUser = { id, name: id.toLowerCase(), teamId: this.identity.teamId };
    this.users.set(id, user);
    return user;
  }

  /** A user's DM channel with the bot; created on first use, like conversations.open. */
  dmChannelOf(userId: string): string {
    const id = `D${userId}`;
    if (!this.channels.has(id)) this.channels.set(id, { id, name: id, dmUser: userId });
    return id;
  }

  /** Resolves a `channel` argument: user ids become their DM; unknown ids → undefined. */
  resolveChannel(channel: string): string | undefined {
    if (/^[UW]/.test(channel)) return this.dmChannelOf(channel);
    if (this.channels.has(channel)) return channel;
    if (/^[CG]/.test(channel)) {
      this.channels.set(channel, { id: channel, name: channel.toLowerCase(), dmUser: undefined });
      return channel;
    }
    return undefined;
  }

  issueTrigger(user: string): string {
    const id = `${this.nextSeq()}.${this.now().getTime()}.fake${Math.random().toString(16).slice(2, 10)}`;
    this.triggers.set(id, { user, issuedAt: this.now(), used: false });
    return id;
  }

  /** Spends a trigger_id; the error is Slack's when it is unknown, used or too old. */
  useTrigger(id: string): 'invalid_trigger_id' | 'expired_trigger_id' | undefined {
    const t = this.triggers.get(id);
    if (t === undefined) return 'invalid_trigger_id';
    if (t.used || this.now().getTime() - t.issuedAt.getTime() > TRIGGER_TTL_MS) return 'expired_trigger_id';
    t.used = true;
    return undefined;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  record(entry: Omit<TranscriptEntry, 'seq' | 'at'>): void {
    this.transcript.push({ seq: this.nextSeq(), at: this.now(), ...entry });
  }

  recordCall(method: string, args: Record<string, unknown>, error: string | undefined): void {
    const { token: _token, ...safe } = args;
    this.calls.push({ method, args: safe, at: this.now(), ok: error === undefined, error });
    this.changed();
  }

  recordViolations(method: string, issues: readonly LimitIssue[]): void {
    for (const issue of issues) this.violations.push({ ...issue, method, at: this.now() });
  }

  /** The user's topmost open modal, if any. */
  topModal(user: string): StoredView | undefined {
    const stack = this.modalStacks.get(user) ?? [];
    const id = stack[stack.length - 1];
    return id === undefined ? undefined : this.views.get(id);
  }

  closeModalStack(user: string): void {
    for (const id of this.modalStacks.get(user) ?? []) {
      const v = this.views.get(id);
      if (v) v.open = false;
    }
    this.modalStacks.delete(user);
  }
}
