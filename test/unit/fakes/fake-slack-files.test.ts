/** The fake's files, through the real @slack/web-api client: upload, share, read, and the limits. */
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack/index.ts';

const ALICE = 'U0ALICE';

async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    const data = e instanceof Error && 'data' in e ? (e.data as { error?: string }) : undefined;
    if (data?.error) return data.error;
    throw e;
  }
}

describe('fake Slack files', () => {
  let fake: FakeSlack;
  let bot: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ users: [{ id: ALICE }], channels: [{ id: 'C0CARDS', name: 'cards' }] });
    bot = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('filesUploadV2 into a thread: the bytes, title and comment land there, in a message conversations.replies shows with its files[]', async () => {
    const parent = await bot.chat.postMessage({ channel: 'C0CARDS', text: 'card' });
    await bot.filesUploadV2({
      channel_id: 'C0CARDS',
      thread_ts: parent.ts!,
      filename: 'results.csv',
      title: 'Results',
      content: 'a,b\r\n1,2',
      initial_comment: 'here',
    });
    const [file] = fake.files.inThread('C0CARDS', parent.ts!);
    expect(file).toMatchObject({ name: 'results.csv', title: 'Results', comment: 'here' });
    expect(fake.files.text(file!)).toBe('a,b\r\n1,2');
    expect(fake.thread('C0CARDS', parent.ts!)).toHaveLength(1);
    // Slack's share is a message in the thread listing the files (what a re-run looks for by name).
    const { messages } = await bot.conversations.replies({ channel: 'C0CARDS', ts: parent.ts! });
    expect(messages).toHaveLength(2);
    expect(messages?.[1]).toMatchObject({ thread_ts: parent.ts });
    expect(messages?.[1]?.files).toEqual([
      expect.objectContaining({ name: 'results.csv', title: 'Results', filetype: 'csv' }),
    ]);
    expect(fake.violations()).toEqual([]);
  });

  it('a shared file is read with files.info and downloaded only with the bot token (401 otherwise)', async () => {
    const file = fake.files.userFile(ALICE, 'users.csv', 'userName\nx\n');
    const info = (await bot.files.info({ file: file.id })) as { file: { url_private_download: string } };
    const url = info.file.url_private_download;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer xoxb-other' } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${fake.botToken}` } });
    expect(await ok.text()).toBe('userName\nx\n');
    expect(fake.files.downloads).toEqual([file.id]);
  });

  it('enforces the rules: scopes, uploads completed before sharing, the announced length, real threads', async () => {
    fake.grantScopes(['chat:write']);
    expect(await errorOf(bot.files.info({ file: 'F1' }))).toBe('missing_scope');
    expect(await errorOf(bot.files.getUploadURLExternal({ filename: 'a.csv', length: 3 }))).toBe(
      'missing_scope',
    );
    fake.grantScopes(['files:read', 'files:write', 'chat:write']);

    const { file_id, upload_url } = await bot.files.getUploadURLExternal({ filename: 'a.csv', length: 3 });
    expect(await errorOf(bot.files.completeUploadExternal({ files: [{ id: file_id! }] }))).toBe(
      'file_not_found',
    );
    expect((await fetch(upload_url!, { method: 'POST', body: 'toolong' })).status).toBe(400);
    expect(fake.violations().map((v) => v.error)).toEqual(['length_mismatch']);
    expect((await fetch(upload_url!, { method: 'POST', body: 'abc' })).status).toBe(200);
    expect(
      await errorOf(
        bot.files.completeUploadExternal({
          files: [{ id: file_id! }],
          channel_id: 'C0CARDS',
          thread_ts: '1.2',
        }),
      ),
    ).toBe('invalid_thread_ts');
    fake.removeBotFrom('C0CARDS');
    expect(
      await errorOf(bot.files.completeUploadExternal({ files: [{ id: file_id! }], channel_id: 'C0CARDS' })),
    ).toBe('not_in_channel');
  });

  it('a file_input with more than 10 files is refused as Slack does', async () => {
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Files' },
      blocks: [
        {
          type: 'input' as const,
          block_id: 'f',
          label: { type: 'plain_text' as const, text: 'File' },
          element: { type: 'file_input' as const, action_id: 'v', max_files: 11 },
        },
      ],
    };
    expect(await errorOf(bot.views.open({ trigger_id: fake.issueTrigger(ALICE), view }))).not.toBe('ok');
    expect(fake.violations().some((v) => /max_files/.test(v.rule))).toBe(true);
  });
});
