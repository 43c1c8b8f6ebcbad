/**
 * Modal stacks, view.state.values shapes, response_url semantics and plain-text rendering, driven
 * through a minimal HTTP-mode bot that records what it receives and answers a scripted ack.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeSlack, plainText, type SlackBlock, startFakeSlack } from '../../fakes/fake-slack/index.ts';

const ALICE = 'U0ALICE';
const CH = 'C0CARDS';
const Body = z.record(z.string(), z.unknown());

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const modal = (title: string, blocks: SlackBlock[] = [], extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: plain(title),
  submit: plain('OK'),
  blocks,
  ...extra,
});
const options = [
  { text: plain('Train'), value: 'train' },
  { text: plain('Production'), value: 'prod' },
];
const FORM: SlackBlock[] = [
  {
    type: 'input',
    block_id: 'email',
    label: plain('Email'),
    element: { type: 'plain_text_input', action_id: 'v' },
  },
  {
    type: 'input',
    block_id: 'env',
    label: plain('Env'),
    element: { type: 'static_select', action_id: 'v', options },
  },
  {
    type: 'input',
    block_id: 'roles',
    label: plain('Roles'),
    element: { type: 'multi_static_select', action_id: 'v', options },
  },
  {
    type: 'input',
    block_id: 'ok',
    label: plain('Ok'),
    element: { type: 'checkboxes', action_id: 'v', options },
  },
  { type: 'input', block_id: 'who', label: plain('Who'), element: { type: 'users_select', action_id: 'v' } },
];

describe('fake Slack surfaces', () => {
  let fake: FakeSlack;
  let botServer: Server;
  let received: Record<string, unknown>[];
  let nextAck: Record<string, unknown>;
  let bot: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ users: [{ id: ALICE }] });
    received = [];
    nextAck = {};
    botServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        received.push(Body.parse(JSON.parse(form.get('payload') ?? '{}')));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(nextAck));
      });
    });
    botServer.listen(0, '127.0.0.1');
    await once(botServer, 'listening');
    const address = botServer.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    fake.useHttpMode({ requestUrl: `http://127.0.0.1:${address.port}/`, signingSecret: 's' });
    bot = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 0 },
    });
  });

  afterEach(async () => {
    botServer.close();
    await fake.close();
  });

  const open = (view: ReturnType<typeof modal>) =>
    bot.views.open({ trigger_id: fake.issueTrigger(ALICE), view });

  it('shapes raw values by element type and fills untouched inputs with empty state', async () => {
    await open(modal('Form', FORM));
    await fake.submitView({
      user: ALICE,
      values: { env: { v: 'prod' }, roles: { v: ['train', 'prod'] }, who: { v: 'U0BOB' } },
    });
    const view = Body.parse(received[0]?.view);
    expect(Body.parse(view.state).values).toEqual({
      email: { v: { type: 'plain_text_input', value: null } },
      env: {
        v: {
          type: 'static_select',
          selected_option: { text: { ...plain('Production'), emoji: true }, value: 'prod' },
        },
      },
      roles: {
        v: {
          type: 'multi_static_select',
          selected_options: [
            { text: { ...plain('Train'), emoji: true }, value: 'train' },
            { text: { ...plain('Production'), emoji: true }, value: 'prod' },
          ],
        },
      },
      ok: { v: { type: 'checkboxes', selected_options: [] } },
      who: { v: { type: 'users_select', selected_user: 'U0BOB' } },
    });
    expect(received[0]).toMatchObject({ type: 'view_submission', user: { id: ALICE } });
  });

  it('throws when a test submits a value for an element the view does not have', async () => {
    await open(modal('Form', FORM));
    await expect(fake.submitView({ user: ALICE, values: { nope: { v: 'x' } } })).rejects.toThrow(
      /no element nope\.v/,
    );
  });

  it('applies update, push and clear acks to the modal stack', async () => {
    const first = await open(modal('First'));
    nextAck = { response_action: 'update', view: modal('Updated') };
    await fake.submitView({ user: ALICE });
    expect(fake.lastView(ALICE)).toMatchObject({
      id: first.view?.id,
      open: true,
      view: { title: plain('Updated') },
    });
    nextAck = { response_action: 'push', view: modal('Pushed') };
    await fake.submitView({ user: ALICE });
    expect(fake.lastView(ALICE)?.previousViewId).toBe(first.view?.id);
    nextAck = { response_action: 'clear' };
    await fake.submitView({ user: ALICE });
    expect(fake.views(ALICE).map((v) => v.open)).toEqual([false, false]);
  });

  it('refuses a fourth stacked modal and a stale hash', async () => {
    const base = await open(modal('One'));
    for (const title of ['Two', 'Three'])
      await bot.views.push({ trigger_id: fake.issueTrigger(ALICE), view: modal(title) });
    const fourth = bot.views.push({ trigger_id: fake.issueTrigger(ALICE), view: modal('Four') });
    await expect(fourth).rejects.toMatchObject({ data: { error: 'push_limit_reached' } });
    const stale = bot.views.update({ view_id: base.view?.id ?? '', hash: 'old', view: modal('One again') });
    await expect(stale).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
  });

  it('delivers view_closed only when the view asked for it', async () => {
    await open(modal('Quiet'));
    expect(await fake.closeView({ user: ALICE })).toBeUndefined();
    await open(modal('Loud', [], { notify_on_close: true, callback_id: 'loud' }));
    expect(await fake.closeView({ user: ALICE })).toMatchObject({ acked: true });
    expect(received.map((r) => r.type)).toEqual(['view_closed']);
  });

  it('response_url: ephemeral, in_channel, replace_original, delete_original, and five uses at most', async () => {
    const card = await bot.chat.postMessage({
      channel: CH,
      text: 'card',
      blocks: [
        { type: 'actions', elements: [{ type: 'button', action_id: 'go', text: plain('Go'), value: 'r1' }] },
      ],
    });
    const click = await fake.clickButton({ user: ALICE, channel: CH, ts: card.ts ?? '', actionId: 'go' });
    expect(received[0]).toMatchObject({ type: 'block_actions', actions: [{ action_id: 'go', value: 'r1' }] });
    const post = (body: Record<string, unknown>) =>
      fetch(click.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await post({ text: 'only you' })).status).toBe(200);
    expect(fake.ephemerals(ALICE).map((e) => e.text)).toEqual(['only you']);
    await post({ response_type: 'in_channel', text: 'everyone', unfurl_links: false, unfurl_media: false });
    expect(fake.messages(CH).map((m) => m.text)).toEqual(['card', 'everyone']);
    await post({ replace_original: true, text: 'card, decided' });
    expect(fake.message(CH, card.ts ?? '')).toMatchObject({ text: 'card, decided', blocks: [] });
    await post({ delete_original: true });
    expect(fake.messages(CH).map((m) => m.text)).toEqual(['everyone']);
    expect((await post({ text: 'fifth' })).status).toBe(200);
    expect((await post({ text: 'sixth' })).status).toBe(404);
    expect(fake.violations()).toEqual([]);
  });

  it('renders blocks as readable text', () => {
    const blocks: SlackBlock[] = [
      { type: 'header', text: plain('New user') },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Vendor*\nPJM' }] },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'by <@U1>' },
          { type: 'plain_text', text: 'now' },
        ],
      },
      { type: 'divider' },
      { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: plain('Approve') }] },
    ];
    expect(plainText({ text: 'fallback', blocks })).toBe(
      '# New user\n*Vendor*\nPJM\nby <@U1> · now\n---\n[Approve]',
    );
    expect(plainText({ text: 'fallback' })).toBe('fallback');
  });
});
