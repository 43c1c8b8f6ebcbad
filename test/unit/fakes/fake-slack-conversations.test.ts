/**
 * The fake's conversations.open/.history/.replies and message metadata, through the real
 * @slack/web-api client: Slack's order, windows, cursor pages, limits, scopes and errors.
 */
import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../fakes/fake-clock.ts';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack/index.ts';
import { botClient, errorOf } from './web-api-client.ts';

const ALICE = 'U0ALICE';
const CH = 'C0CARDS';
const meta = (key: string) => ({ event_type: 'access_desk_job', event_payload: { key } });

describe('fake Slack conversations', () => {
  let fake: FakeSlack;
  let clock: FakeClock;
  let bot: WebClient;

  beforeEach(async () => {
    clock = new FakeClock();
    fake = await startFakeSlack({ users: [{ id: ALICE, name: 'alice' }], now: () => clock.now() });
    bot = botClient(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('keeps message metadata, and returns it only to readers that ask (include_all_metadata)', async () => {
    const posted = await bot.chat.postMessage({ channel: CH, text: 'card', metadata: meta('k1') });
    expect(posted.message?.metadata).toEqual(meta('k1'));
    const plain = await bot.conversations.history({ channel: CH });
    expect(plain.messages?.[0]).not.toHaveProperty('metadata');
    const withMeta = await bot.conversations.history({ channel: CH, include_all_metadata: true });
    expect(withMeta.messages?.[0]).toMatchObject({ ts: posted.ts, text: 'card', metadata: meta('k1') });
    expect(
      await errorOf(
        bot.chat.postMessage({ channel: CH, text: 'x', metadata: { event_payload: {} } as never }),
      ),
    ).toBe('invalid_arguments');
  });

  it('history: top level only, newest first, within oldest/latest (exclusive unless inclusive), without deleted messages', async () => {
    const ts: string[] = [];
    for (const text of ['a', 'b', 'c', 'd']) {
      ts.push((await bot.chat.postMessage({ channel: CH, text })).ts!);
      clock.advance(1_000);
    }
    await bot.chat.postMessage({ channel: CH, text: 'reply', thread_ts: ts[0]! });
    await bot.chat.delete({ channel: CH, ts: ts[3]! });
    const all = await bot.conversations.history({ channel: CH });
    expect(all.messages?.map((m) => m.text)).toEqual(['c', 'b', 'a']);
    expect(all.has_more).toBe(false);
    const window = await bot.conversations.history({ channel: CH, oldest: ts[0]!, latest: ts[2]! });
    expect(window.messages?.map((m) => m.text)).toEqual(['b']);
    const inclusive = await bot.conversations.history({
      channel: CH,
      oldest: ts[0]!,
      latest: ts[2]!,
      inclusive: true,
    });
    expect(inclusive.messages?.map((m) => m.text)).toEqual(['c', 'b', 'a']);
  });

  it('history pages by cursor (limit, next_cursor, has_more) and refuses a forged cursor', async () => {
    for (let i = 0; i < 5; i++) await bot.chat.postMessage({ channel: CH, text: `m${i}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await bot.conversations.history({ channel: CH, limit: 2, ...(cursor ? { cursor } : {}) });
      pages++;
      seen.push(...(page.messages ?? []).map((m) => m.text ?? ''));
      expect(page.has_more).toBe(Boolean(page.response_metadata?.next_cursor));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    expect(await errorOf(bot.conversations.history({ channel: CH, cursor: 'bm9wZQ==' }))).toBe(
      'invalid_cursor',
    );
  });

  it('replies: the parent first, then the thread oldest first, paged by cursor', async () => {
    const parent = (await bot.chat.postMessage({ channel: CH, text: 'card' })).ts!;
    for (const text of ['r1', 'r2', 'r3'])
      await bot.chat.postMessage({ channel: CH, text, thread_ts: parent });
    const first = await bot.conversations.replies({ channel: CH, ts: parent, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['card', 'r1']);
    expect(first.has_more).toBe(true);
    const rest = await bot.conversations.replies({
      channel: CH,
      ts: parent,
      limit: 2,
      cursor: first.response_metadata!.next_cursor!,
    });
    expect(rest.messages?.map((m) => m.text)).toEqual(['r2', 'r3']);
    expect(rest.has_more).toBe(false);
    expect(await errorOf(bot.conversations.replies({ channel: CH, ts: '1.000001' }))).toBe(
      'thread_not_found',
    );
  });

  it('a DM: conversations.open finds the channel chat.postMessage used, and its history holds the DM', async () => {
    const dm = await bot.chat.postMessage({ channel: ALICE, text: 'hello', metadata: meta('k2') });
    const opened = await bot.conversations.open({ users: ALICE });
    expect(opened.channel?.id).toBe(dm.channel);
    const history = await bot.conversations.history({
      channel: opened.channel!.id!,
      include_all_metadata: true,
    });
    expect(history.messages?.map((m) => m.metadata)).toEqual([meta('k2')]);
  });

  it('refuses reads without the scope of the conversation kind, and channels the bot is not in', async () => {
    await bot.chat.postMessage({ channel: ALICE, text: 'hello' });
    fake.grantScopes(['chat:write', 'channels:history']);
    expect(await errorOf(bot.conversations.open({ users: ALICE }))).toBe('missing_scope');
    expect(await errorOf(bot.conversations.history({ channel: `D${ALICE}` }))).toBe('missing_scope');
    expect(await errorOf(bot.conversations.history({ channel: 'G0PRIVATE' }))).toBe('missing_scope');
    expect(await errorOf(bot.conversations.history({ channel: CH }))).toBe('ok');
    fake.removeBotFrom(CH);
    expect(await errorOf(bot.conversations.history({ channel: CH }))).toBe('not_in_channel');
  });
});
