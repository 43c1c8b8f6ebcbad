/** The real Bolt app in HTTP mode: the fake signs deliveries like Slack, and bad signatures get 401. */
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack/index.ts';
import { PING_CHANNEL, registerPingListeners, Seen } from './fake-slack-test-app.ts';

const ALICE = 'U0ALICE';
const SIGNING_SECRET = 'fake-signing-secret';

describe('fake Slack in HTTP mode with a real Bolt app', () => {
  let fake: FakeSlack;
  let seen: Seen;
  let receiver: HTTPReceiver;

  beforeEach(async () => {
    fake = await startFakeSlack();
    seen = new Seen();
    receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, logLevel: LogLevel.ERROR });
    const app = new App({
      token: fake.botToken,
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    registerPingListeners(app, seen);
    const server: Server = await receiver.start({ port: 0, host: '127.0.0.1' });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('receiver has no TCP address');
    fake.useHttpMode({
      requestUrl: `http://127.0.0.1:${address.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
  });

  afterEach(async () => {
    await receiver.stop();
    await fake.close();
  });

  it('delivers a signed slash command, a view submission and a button click', async () => {
    const cmd = await fake.slashCommand({ user: ALICE, command: '/ping' });
    expect(cmd).toMatchObject({ acked: true, status: 200 });
    await fake.waitFor(() => fake.lastView(ALICE));

    const refused = await fake.submitView({ user: ALICE, values: { name: { value: 'x' } } });
    expect(refused).toMatchObject({
      status: 200,
      ack: { response_action: 'errors', errors: { name: 'At least 3 characters' } },
    });

    await fake.submitView({ user: ALICE, values: { name: { value: 'alice' } } });
    const card = await fake.waitFor(() => fake.messages(PING_CHANNEL)[0]);
    await fake.clickButton({ user: ALICE, channel: PING_CHANNEL, ts: card.ts, actionId: 'reply_in_thread' });
    await fake.waitFor(() => fake.thread(PING_CHANNEL, card.ts)[0]);
    await fake.waitFor(() => fake.ephemerals(ALICE)[0]);
    expect(fake.violations()).toEqual([]);
  });

  it('delivers events as signed JSON', async () => {
    expect(await fake.openHome(ALICE)).toMatchObject({ acked: true, status: 200 });
    await fake.waitFor(() => fake.homeTab(ALICE));
  });

  it.each(['unsigned', 'wrong', 'stale'] as const)(
    'a %s delivery is refused with 401 and never handled',
    async (signature) => {
      const result = await fake.slashCommand({ user: ALICE, command: '/ping', signature });
      expect(result).toMatchObject({ acked: false, status: 401 });
      expect(seen.pings).toBe(0);
      expect(fake.calls('views.open')).toEqual([]);
    },
  );
});
