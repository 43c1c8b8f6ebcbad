/**
 * A fake Slack for tests and the sandbox: the real Bolt app talks to it over HTTP (Web API,
 * response URLs) and Socket Mode, or receives signed HTTP-mode deliveries from it. It enforces
 * Slack's limits and records everything. Stop the Bolt app before `close()`, or Bolt will try to
 * reconnect to a server that is gone.
 */
import { FakeSlackDriver } from './fake-slack-driver.ts';
import { FakeSlackFiles } from './fake-slack-files.ts';
import { FakeSlackServer, type LostHow, type FakeSlackServer as Server } from './fake-slack-server.ts';
import { FakeSlackState, type FakeUser, type SlackIdentity } from './fake-slack-state.ts';
import { type DropPoint, type EnvelopeType, SocketModeHub, type Timing } from './socket-mode-hub.ts';
import { fileStore } from './web-api-files.ts';

export type { AckPayload, SlackBlock, SlackViewInput } from './block-kit-schemas.ts';
export type { ClickTarget, CommandResult, DeliveryOptions, SubmitResult } from './fake-slack-driver.ts';
export type { FakeFile } from './fake-slack-files.ts';
export type { WaitOptions } from './fake-slack-queries.ts';
export type { Fault } from './fake-slack-server.ts';
export type {
  ApiCall,
  FakeUser,
  SlackIdentity,
  StoredEphemeral,
  StoredMessage,
  StoredView,
  TranscriptEntry,
  Violation,
} from './fake-slack-state.ts';
export type { HttpModeOptions, SignatureMode } from './http-mode-sender.ts';
export { plainText } from './plain-text.ts';
export { LIMITS } from './slack-limits.ts';
export type { DeliveryResult, DropPoint, EnvelopeType } from './socket-mode-hub.ts';
export {
  checkboxes,
  multiStaticSelect,
  multiUsersSelect,
  type StateValue,
  staticSelect,
  textInput,
  usersSelect,
  type ValueInput,
  type ViewValues,
} from './view-values.ts';

export interface FakeSlackOptions extends Partial<SlackIdentity> {
  /** Workspace members; anyone a test acts as is added on first use. */
  users?: readonly (Pick<FakeUser, 'id'> & Partial<FakeUser>)[];
  /** User group id (S…) → member user ids, for usergroups.users.list. */
  userGroups?: Readonly<Record<string, readonly string[]>>;
  channels?: readonly { id: string; name: string }[];
  /** Where slash commands are run when a test names no channel. */
  defaultChannel?: string;
  /** The fake's clock (trigger_id expiry, message ts); real time by default. */
  now?: () => Date;
  /** Socket Mode: how long an envelope waits for its ack before redelivery (Slack: 3000). */
  ackTimeoutMs?: number;
}

const DEFAULT_IDENTITY: SlackIdentity = {
  teamId: 'T0FAKE',
  teamDomain: 'fake-workspace',
  appId: 'A0FAKEAPP',
  botUserId: 'U0BOT',
  botId: 'B0BOT',
  botToken: 'xoxb-fake-bot-token',
  appToken: 'xapp-fake-app-token',
};

export class FakeSlack extends FakeSlackDriver {
  /** Base URL for Bolt's `clientOptions.slackApiUrl`, ending in `/api/`. */
  readonly apiUrl: string;
  readonly identity: SlackIdentity;
  readonly #server: Server;
  readonly #hub: SocketModeHub;
  readonly #timing: Timing;
  /** Files: user uploads, CSVs dropped in the DM, and what the bot uploaded (web-api-files.ts). */
  readonly files: FakeSlackFiles;

  constructor(
    state: FakeSlackState,
    parts: { server: Server; hub: SocketModeHub; timing: Timing; baseUrl: string; defaultChannel: string },
  ) {
    super(state, parts);
    this.identity = state.identity;
    this.apiUrl = `${parts.baseUrl}/api/`;
    this.#server = parts.server;
    this.#hub = parts.hub;
    this.#timing = parts.timing;
    fileStore(state).baseUrl = parts.baseUrl;
    this.files = new FakeSlackFiles(state, (type, payload) => this.deliver(type, payload));
  }

  get botToken(): string {
    return this.identity.botToken;
  }

  get appToken(): string {
    return this.identity.appToken;
  }

  /** Open Socket Mode connections. */
  get connections(): number {
    return this.#hub.connectionCount;
  }

  /** Socket Mode connections dropped by dropConnection so far. */
  get droppedConnections(): number {
    return this.#hub.droppedCount;
  }

  /**
   * Drops the Socket Mode connection that carries the next `type` envelope, just after sending it
   * (its ack is lost, so the envelope is redelivered on the app's next connection) or just after
   * its ack. The app has to reconnect; Slack does this on deploys and network blips.
   */
  dropConnection(point: DropPoint, type: EnvelopeType = 'interactive'): void {
    this.#hub.dropNext(point, type);
  }

  /** Ack deadline for later deliveries (Socket Mode redelivery, HTTP-mode request timeout). */
  set ackTimeoutMs(ms: number) {
    this.#timing.ackTimeoutMs = ms;
  }

  addUser(user: Pick<FakeUser, 'id'> & Partial<FakeUser>): FakeUser {
    const full: FakeUser = { name: user.id.toLowerCase(), teamId: this.identity.teamId, ...user };
    this.state.users.set(full.id, full);
    return full;
  }

  setUserGroup(id: string, members: readonly string[]): void {
    this.state.userGroups.set(id, [...members]);
  }

  /**
   * The next `times` calls of `method` fail: `ratelimited` as HTTP 429 with Retry-After (seconds,
   * default 1), anything else as Slack's `{ ok: false, error }`.
   */
  failNext(
    method: string,
    fault: { error: 'ratelimited'; retryAfterSec?: number } | { error: string },
    times = 1,
  ): void {
    this.#server.failNext(method, fault, times);
  }

  /**
   * The next `method` call whose arguments match is carried out (a message is posted), but the bot
   * never gets the answer: the connection stays silent (what a bot killed while waiting sees) or is
   * reset (a network blip). Resolves once that call happened.
   */
  loseAnswer(
    method: string,
    match: (args: Record<string, unknown>) => boolean = () => true,
    how: LostHow = 'silence',
  ): Promise<void> {
    return this.#server.loseAnswer(method, match, how);
  }

  /** The bot scopes the token has (x-oauth-scopes), e.g. fewer than manifest.yml asks for. */
  grantScopes(scopes: readonly string[]): void {
    this.state.grantedScopes = [...scopes];
  }

  /** The bot leaves (or is removed from) a channel. */
  removeBotFrom(channel: string): void {
    this.state.botOutOf.add(channel);
  }

  /** A trigger_id as an interaction by `user` would carry, for tests that call views.open directly. */
  issueTrigger(user: string): string {
    return this.state.issueTrigger(user);
  }

  /** Someone else deletes a message: the bot's next chat.update on it gets message_not_found. */
  deleteMessage(channel: string, ts: string): void {
    const msg = this.state.findMessage(channel, ts);
    if (msg === undefined) throw new Error(`fake Slack: no message ${channel}/${ts} to delete`);
    msg.deleted = true;
    this.state.changed();
  }

  /** Drops Socket Mode connections, gives up pending deliveries, stops the HTTP server. */
  async close(): Promise<void> {
    await this.#hub.close();
    await this.#server.close();
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const { users, userGroups, channels, defaultChannel, now, ackTimeoutMs, ...identity } = options;
  const state = new FakeSlackState({ ...DEFAULT_IDENTITY, ...identity }, now ?? (() => new Date()));
  const timing: Timing = { ackTimeoutMs: ackTimeoutMs ?? 3000 };
  const hub = new SocketModeHub(state, timing);
  const server = new FakeSlackServer(state, hub);
  const port = await server.listen();
  const fake = new FakeSlack(state, {
    server,
    hub,
    timing,
    baseUrl: `http://127.0.0.1:${port}`,
    defaultChannel: defaultChannel ?? 'C0GENERAL',
  });
  for (const u of users ?? []) fake.addUser(u);
  for (const [id, members] of Object.entries(userGroups ?? {})) fake.setUserGroup(id, members);
  for (const c of channels ?? []) state.channels.set(c.id, { id: c.id, name: c.name, dmUser: undefined });
  state.resolveChannel(defaultChannel ?? 'C0GENERAL');
  return fake;
}
