/**
 * Files from the tests' side: a file a user uploads (for a file_input), a CSV dropped in the DM with
 * the bot (a `message` event, subtype file_share, channel_type im), and what the bot uploaded where.
 */
import type { FakeSlackState, StoredMessage } from './fake-slack-state.ts';
import type { DeliveryResult, EnvelopeType } from './socket-mode-hub.ts';
import type { StateValue } from './view-values.ts';
import { type FakeFile, fileStore } from './web-api-files.ts';

export type { FakeFile } from './web-api-files.ts';

type Deliver = (type: EnvelopeType, payload: Record<string, unknown>) => Promise<DeliveryResult>;

export class FakeSlackFiles {
  readonly #state: FakeSlackState;
  readonly #deliver: Deliver;

  constructor(state: FakeSlackState, deliver: Deliver) {
    this.#state = state;
    this.#deliver = deliver;
  }

  /** A file `user` uploaded to Slack (as a file_input does before the view is submitted). */
  userFile(user: string, name: string, content: string | Buffer): FakeFile {
    const store = fileStore(this.#state);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const file: FakeFile = {
      id: store.newId(),
      name,
      title: name,
      length: bytes.length,
      content: bytes,
      owner: user,
      sharedIn: undefined,
      comment: '',
    };
    store.files.set(file.id, file);
    return file;
  }

  /** view.state.values of a file_input holding `files`, as Slack sends it. */
  fileInput(...files: FakeFile[]): StateValue {
    const store = fileStore(this.#state);
    return { type: 'file_input', files: files.map((f) => store.json(f)) };
  }

  /** `user` drops a file in the DM with the bot: the message lands there and the event is delivered. */
  async shareInDm(
    user: string,
    name: string,
    content: string | Buffer,
  ): Promise<DeliveryResult & { file: FakeFile }> {
    const file = this.userFile(user, name, content);
    const channel = this.#state.dmChannelOf(user);
    const ts = this.#state.nextTs();
    const message: StoredMessage = {
      channel,
      ts,
      threadTs: undefined,
      user,
      text: '',
      blocks: [],
      edits: [],
      deleted: false,
      unfurlLinks: undefined,
      unfurlMedia: undefined,
      files: [fileStore(this.#state).json(file)],
    };
    this.#state.messages.push(message);
    file.sharedIn = { channel, threadTs: undefined, message };
    this.#state.changed();
    const seconds = this.#state.now().getTime() / 1000;
    const payload = {
      token: 'fake-verification-token',
      team_id: this.#state.identity.teamId,
      api_app_id: this.#state.identity.appId,
      event: {
        type: 'message',
        subtype: 'file_share',
        channel,
        channel_type: 'im',
        user,
        text: '',
        ts,
        event_ts: ts,
        files: [fileStore(this.#state).json(file)],
        upload: true,
      },
      type: 'event_callback',
      event_id: `Ev${String(this.#state.nextSeq()).padStart(8, '0')}`,
      event_time: Math.floor(seconds),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.#state.identity.teamId,
          user_id: this.#state.identity.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    return { ...(await this.#deliver('events_api', payload)), file };
  }

  /** Every file the bot uploaded and shared somewhere, oldest first. */
  botFiles(): FakeFile[] {
    const bot = this.#state.identity.botUserId;
    return [...fileStore(this.#state).files.values()].filter((f) => f.owner === bot && f.sharedIn);
  }

  /** Files the bot shared in the thread under `ts`. */
  inThread(channel: string, ts: string): FakeFile[] {
    return this.botFiles().filter((f) => f.sharedIn?.channel === channel && f.sharedIn.threadTs === ts);
  }

  /** Files the bot shared in its DM with `user` (threads included). */
  inDm(user: string): FakeFile[] {
    return this.botFiles().filter((f) => f.sharedIn?.channel === `D${user}`);
  }

  /** A file's content as text. */
  text(f: FakeFile): string {
    return f.content?.toString('utf8') ?? '';
  }

  /** File ids the bot downloaded with its token. */
  get downloads(): readonly string[] {
    return fileStore(this.#state).downloads;
  }
}
