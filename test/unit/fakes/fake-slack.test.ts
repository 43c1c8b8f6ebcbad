/** The real Bolt app in Socket Mode against the fake Slack: commands, modals, buttons, redelivery. */
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeSlack, plainText, startFakeSlack } from '../../fakes/fake-slack/index.ts';
import { PING_CHANNEL, registerPingListeners, Seen } from './fake-slack-test-app.ts';

const ALICE = 'U0ALICE';

function socketApp(fake: FakeSlack, seen: Seen): App {
  const app = new App({
    token: fake.botToken,
    appToken: fake.appToken,
    socketMode: true,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl },
  });
  registerPingListeners(app, seen);
  return app;
}

describe('fake Slack in Socket Mode with a real Bolt app', () => {
  let fake: FakeSlack;
  let seen: Seen;
  let apps: App[];

  beforeEach(async () => {
    fake = await startFakeSlack({ users: [{ id: ALICE, name: 'alice' }] });
    seen = new Seen();
    apps = [socketApp(fake, seen)];
    await apps[0]?.start();
  });

  afterEach(async () => {
    for (const app of apps) await app.stop();
    await fake.close();
  });

  it('connects through auth.test and apps.connections.open', () => {
    expect(fake.connections).toBe(1);
    expect(fake.calls('apps.connections.open').map((c) => c.ok)).toEqual([true]);
    expect(fake.calls('auth.test').every((c) => c.ok)).toBe(true);
  });

  it('runs /ping → modal → field errors → valid submit → card → thread reply and ephemeral', async () => {
    const cmd = await fake.slashCommand({ user: ALICE, command: '/ping' });
    expect(cmd).toMatchObject({ acked: true, attempts: 1 });
    const modal = await fake.waitFor(() => fake.lastView(ALICE));
    expect(modal.callbackId).toBe('ping_modal');
    expect(fake.calls('views.open')).toHaveLength(1);

    const refused = await fake.submitView({ user: ALICE, values: { name: { value: 'al' } } });
    expect(refused.ack).toEqual({ response_action: 'errors', errors: { name: 'At least 3 characters' } });
    expect(fake.lastView(ALICE)?.open).toBe(true);

    const accepted = await fake.submitView({
      user: ALICE,
      values: { name: { value: 'alice' }, colour: { pick: 'blue' } },
    });
    expect(accepted.acked).toBe(true);
    expect(accepted.ack?.response_action).toBeUndefined();
    expect(fake.lastView(ALICE)?.open).toBe(false);

    const card = await fake.waitFor(() => fake.messages(PING_CHANNEL)[0]);
    expect(plainText(card)).toBe('Pong for *alice* (blue)\n[Reply]');

    await fake.clickButton({ user: ALICE, channel: PING_CHANNEL, ts: card.ts, actionId: 'reply_in_thread' });
    const reply = await fake.waitFor(() => fake.thread(PING_CHANNEL, card.ts)[0]);
    expect(reply.text).toBe('Thread reply for alice');
    const ephemeral = await fake.waitFor(() => fake.ephemerals(ALICE)[0]);
    expect(ephemeral).toMatchObject({ channel: PING_CHANNEL, text: `Replied, ${ALICE}` });

    expect(fake.transcript().map((e) => e.kind)).toEqual(['view_open', 'post', 'reply', 'ephemeral']);
    expect(fake.violations()).toEqual([]);
  });

  it('records respond() from a slash command as an ephemeral message', async () => {
    await fake.slashCommand({ user: ALICE, command: '/echo', text: 'hi there' });
    const e = await fake.waitFor(() => fake.ephemerals(ALICE)[0]);
    expect(e).toMatchObject({ channel: 'C0GENERAL', user: ALICE, text: 'echo: hi there' });
    expect(fake.calls('response_url')).toHaveLength(1);
  });

  it('publishes the home tab when the user opens it', async () => {
    const delivery = await fake.openHome(ALICE);
    expect(delivery.acked).toBe(true);
    const home = await fake.waitFor(() => fake.homeTab(ALICE));
    expect(plainText(home)).toBe('Welcome home');
  });

  it('redelivers an envelope that was not acked in time, with retry_attempt and reason', async () => {
    fake.ackTimeoutMs = 200;
    const result = await fake.slashCommand({ user: ALICE, command: '/slow' });
    expect(result.acked).toBe(true);
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(seen.slow.slice(0, 2)).toEqual([
      { retryNum: 0, retryReason: '' },
      { retryNum: 1, retryReason: 'timeout' },
    ]);
  });

  it('gives up after three retries when the bot never acks', async () => {
    fake.ackTimeoutMs = 50;
    const result = await fake.slashCommand({ user: ALICE, command: '/never' });
    expect(result).toMatchObject({ acked: false, attempts: 4 });
    await vi.waitFor(() => expect(seen.never).toBe(4), { timeout: 2000 });
  });

  it('hands each envelope to exactly one of several connections', async () => {
    const other = new Seen();
    const second = socketApp(fake, other);
    apps.push(second);
    await second.start();
    expect(fake.connections).toBe(2);
    for (let i = 0; i < 4; i++) await fake.slashCommand({ user: ALICE, command: '/ping' });
    expect([seen.pings, other.pings]).toEqual([2, 2]);
  });
});
