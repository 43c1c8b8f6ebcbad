/** The fake's Web API through the real @slack/web-api client: auth, limits, faults, triggers, waits. */
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../fakes/fake-clock.ts';
import { type FakeSlack, LIMITS, type SlackBlock, startFakeSlack } from '../../fakes/fake-slack/index.ts';
import { botClient, errorOf } from './web-api-client.ts';

const ALICE = 'U0ALICE';
const CH = 'C0CARDS';

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, value = 'v'): SlackBlock => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text }, value }],
});

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  let clock: FakeClock;
  let bot: WebClient;

  beforeEach(async () => {
    clock = new FakeClock();
    fake = await startFakeSlack({
      users: [{ id: ALICE, name: 'alice', email: 'alice@example.com' }],
      userGroups: { S0APPROVERS: [ALICE, 'U0BOB'] },
      now: () => clock.now(),
    });
    bot = botClient(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('checks the bearer token; apps.connections.open wants the app token', async () => {
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect(await errorOf(stranger.auth.test())).toBe('invalid_auth');
    expect(await errorOf(new WebClient(undefined, { slackApiUrl: fake.apiUrl }).auth.test())).toBe(
      'not_authed',
    );
    expect(await errorOf(bot.apps.connections.open())).toBe('invalid_auth');
    const app = new WebClient(fake.appToken, { slackApiUrl: fake.apiUrl });
    const open = await app.apps.connections.open();
    expect(open.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\?ticket=/);
  });

  it('posts, threads, DMs, updates with history, and links', async () => {
    const card = await bot.chat.postMessage({ channel: CH, text: 'card v1' });
    const ts = card.ts ?? '';
    await bot.chat.postMessage({ channel: CH, thread_ts: ts, text: 'decision' });
    const dm = await bot.chat.postMessage({ channel: ALICE, text: 'your request' });
    expect(dm.channel).toBe(`D${ALICE}`);
    await bot.chat.update({ channel: CH, ts, text: 'card v2', blocks: [section('v2')] });
    const link = await bot.chat.getPermalink({ channel: CH, message_ts: ts });
    expect(link.permalink).toContain(`/archives/${CH}/p${ts.replace('.', '')}`);

    expect(fake.messages(CH).map((m) => [m.text, m.edits.map((e) => e.text)])).toEqual([
      ['card v2', ['card v1']],
    ]);
    expect(fake.thread(CH, ts).map((m) => m.text)).toEqual(['decision']);
    expect(fake.dms(ALICE).map((m) => m.text)).toEqual(['your request']);
    expect(fake.transcript().map((e) => e.kind)).toEqual(['post', 'reply', 'dm', 'update']);
    expect(fake.calls('chat.postMessage')[0]?.args).toMatchObject({ channel: CH, text: 'card v1' });
  });

  it('answers message_not_found for an unknown ts and after someone deleted the message', async () => {
    expect(await errorOf(bot.chat.update({ channel: CH, ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    const posted = await bot.chat.postMessage({ channel: CH, text: 'card' });
    fake.deleteMessage(CH, posted.ts ?? '');
    expect(await errorOf(bot.chat.update({ channel: CH, ts: posted.ts ?? '', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(fake.messages(CH)).toEqual([]);
  });

  it.each([
    [
      'too many blocks',
      { blocks: Array.from({ length: LIMITS.messageBlocks + 1 }, () => section('x')) },
      'invalid_blocks',
    ],
    ['long section text', { blocks: [section('x'.repeat(3001))] }, 'invalid_blocks'],
    [
      'long header',
      { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      'invalid_blocks',
    ],
    ['long button text', { blocks: [button('b'.repeat(76))] }, 'invalid_blocks'],
    ['long button value', { blocks: [button('ok', 'v'.repeat(2001))] }, 'invalid_blocks'],
    [
      'eleven fields',
      {
        blocks: [
          { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
        ],
      },
      'invalid_blocks',
    ],
    ['long text', { text: 't'.repeat(LIMITS.messageText + 1) }, 'msg_too_long'],
    ['no text or blocks', {}, 'no_text'],
  ])('rejects %s and records a violation', async (_name, content, error) => {
    const text = 'blocks' in content ? { text: 'fallback' } : {};
    expect(await errorOf(bot.apiCall('chat.postMessage', { channel: CH, ...text, ...content }))).toBe(error);
    expect(fake.violations().map((v) => [v.method, v.error])).toEqual([['chat.postMessage', error]]);
    expect(fake.messages(CH)).toEqual([]);
  });

  it('flags a link posted without unfurl_links/unfurl_media false, and accepts it when they are', async () => {
    await bot.chat.postMessage({
      channel: CH,
      text: 'see https://example.com',
      unfurl_links: false,
      unfurl_media: false,
    });
    expect(fake.violations()).toEqual([]);
    await bot.chat.postMessage({ channel: CH, text: 'see https://example.com' });
    expect(fake.violations().map((v) => v.error)).toEqual(['unfurl_not_disabled']);
    expect(fake.messages(CH)).toHaveLength(2);
  });

  it('enforces trigger_id: unknown, used once, and 3 s by the fake clock', async () => {
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    expect(await errorOf(bot.views.open({ trigger_id: 'nope', view }))).toBe('invalid_trigger_id');
    const fresh = fake.issueTrigger(ALICE);
    expect(await errorOf(bot.views.open({ trigger_id: fresh, view }))).toBe('ok');
    expect(await errorOf(bot.views.open({ trigger_id: fresh, view }))).toBe('expired_trigger_id');
    const old = fake.issueTrigger(ALICE);
    clock.advance(3001);
    expect(await errorOf(bot.views.open({ trigger_id: old, view }))).toBe('expired_trigger_id');
  });

  it('rejects a modal title over 24 characters as invalid_arguments', async () => {
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 't'.repeat(25) },
      blocks: [],
    };
    expect(await errorOf(bot.views.open({ trigger_id: fake.issueTrigger(ALICE), view }))).toBe(
      'invalid_arguments',
    );
    expect(fake.violations()[0]).toMatchObject({ method: 'views.open', path: 'view.title' });
  });

  it('publishes and updates a home tab per user', async () => {
    const home = { type: 'home' as const, blocks: [section('Mine')] };
    const first = await bot.views.publish({ user_id: ALICE, view: home });
    await bot.views.publish({ user_id: ALICE, view: { type: 'home', blocks: [section('Mine v2')] } });
    expect(fake.homeTab(ALICE)).toMatchObject({ id: first.view?.id, blocks: [section('Mine v2')] });
  });

  it('serves users, user groups and DM channels from state', async () => {
    const info = await bot.users.info({ user: ALICE });
    expect(info.user).toMatchObject({ id: ALICE, name: 'alice', profile: { email: 'alice@example.com' } });
    expect(await errorOf(bot.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
    const group = await bot.usergroups.users.list({ usergroup: 'S0APPROVERS' });
    expect(group.users).toEqual([ALICE, 'U0BOB']);
    expect(await errorOf(bot.usergroups.users.list({ usergroup: 'S0NONE' }))).toBe('no_such_subteam');
    const open = await bot.conversations.open({ users: ALICE });
    expect(open.channel?.id).toBe(`D${ALICE}`);
  });

  it('fails the next calls as told: ratelimited with Retry-After, then any error', async () => {
    const strict = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true });
    fake.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSec: 7 });
    fake.failNext('chat.update', { error: 'cant_update_message' }, 2);
    const limited = await strict.chat.postMessage({ channel: CH, text: 'x' }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    const posted = await strict.chat.postMessage({ channel: CH, text: 'x' });
    const ts = posted.ts ?? '';
    expect(await errorOf(bot.chat.update({ channel: CH, ts, text: 'y' }))).toBe('cant_update_message');
    expect(await errorOf(bot.chat.update({ channel: CH, ts, text: 'y' }))).toBe('cant_update_message');
    expect(await errorOf(bot.chat.update({ channel: CH, ts, text: 'y' }))).toBe('ok');
    expect(fake.calls().map((c) => c.error ?? 'ok')).toEqual([
      'ratelimited',
      'ok',
      'cant_update_message',
      'cant_update_message',
      'ok',
    ]);
  });

  it('answers unknown_method and records it as a violation', async () => {
    expect(await errorOf(bot.apiCall('reactions.add', { channel: CH }))).toBe('unknown_method');
    expect(fake.violations().map((v) => [v.method, v.error])).toEqual([['reactions.add', 'unknown_method']]);
  });

  it('waitFor resolves on a later change and fails at its deadline with the transcript', async () => {
    const waiting = fake.waitFor(() => fake.messages(CH).find((m) => m.text === 'later'));
    await bot.chat.postMessage({ channel: CH, text: 'earlier' });
    await bot.chat.postMessage({ channel: CH, text: 'later' });
    expect((await waiting).text).toBe('later');
    const next = fake.nextMessage(CH);
    await bot.chat.postMessage({ channel: 'C0OTHER', text: 'elsewhere' });
    await bot.chat.postMessage({ channel: CH, text: 'next' });
    expect((await next).text).toBe('next');
    await expect(fake.waitFor(() => fake.messages(CH).length > 5, { timeoutMs: 50 })).rejects.toThrow(
      /earlier/,
    );
  });
});
