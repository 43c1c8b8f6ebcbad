/**
 * A small real Bolt app used to prove the fake Slack speaks Slack: /ping opens a modal whose
 * submission validates a field, posts a card with a button, and the button replies in the thread.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';

export const PING_CHANNEL = 'C0PING';

/** What the listeners saw, for assertions on counts (never on time). */
export class Seen {
  slow: { retryNum: number; retryReason: string | undefined }[] = [];
  never = 0;
  pings = 0;
  #secondSlow: () => void = () => undefined;
  readonly secondSlow = new Promise<void>((resolve) => {
    this.#secondSlow = resolve;
  });
  releaseSlow(): void {
    this.#secondSlow();
  }
}

const pingModal = {
  type: 'modal' as const,
  callback_id: 'ping_modal',
  title: { type: 'plain_text' as const, text: 'Ping' },
  submit: { type: 'plain_text' as const, text: 'Send' },
  blocks: [
    {
      type: 'input',
      block_id: 'name',
      label: { type: 'plain_text' as const, text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
    {
      type: 'input',
      block_id: 'colour',
      optional: true,
      label: { type: 'plain_text' as const, text: 'Colour' },
      element: {
        type: 'static_select',
        action_id: 'pick',
        options: [
          { text: { type: 'plain_text' as const, text: 'Red' }, value: 'red' },
          { text: { type: 'plain_text' as const, text: 'Blue' }, value: 'blue' },
        ],
      },
    },
  ],
};

export function registerPingListeners(app: App, seen: Seen): void {
  app.command('/ping', async ({ ack, body, client }) => {
    seen.pings += 1;
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: pingModal });
  });

  app.command('/echo', async ({ ack, respond, command }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: `echo: ${command.text}` });
  });

  // Acks only once Slack has redelivered: the first envelope times out on purpose.
  app.command('/slow', async ({ ack, context }) => {
    seen.slow.push({ retryNum: context.retryNum ?? 0, retryReason: context.retryReason });
    if (seen.slow.length === 1) await seen.secondSlow;
    else seen.releaseSlow();
    await ack();
  });

  app.command('/never', async () => {
    seen.never += 1;
  });

  app.view('ping_modal', async ({ ack, view, client }) => {
    const name = view.state.values.name?.value?.value ?? '';
    const colour = view.state.values.colour?.pick?.selected_option?.value ?? 'none';
    if (name.length < 3) {
      await ack({ response_action: 'errors', errors: { name: 'At least 3 characters' } });
      return;
    }
    await ack();
    await client.chat.postMessage({
      channel: PING_CHANNEL,
      text: `Pong for ${name}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Pong for *${name}* (${colour})` } },
        {
          type: 'actions',
          block_id: 'card_actions',
          elements: [
            {
              type: 'button',
              action_id: 'reply_in_thread',
              text: { type: 'plain_text', text: 'Reply' },
              value: name,
            },
          ],
        },
      ],
      unfurl_links: false,
      unfurl_media: false,
    });
  });

  app.action<BlockAction<ButtonAction>>('reply_in_thread', async ({ ack, body, action, client, respond }) => {
    await ack();
    const channel = body.channel?.id;
    const ts = body.message?.ts;
    if (channel === undefined || ts === undefined) return;
    await client.chat.postMessage({ channel, thread_ts: ts, text: `Thread reply for ${action.value}` });
    await respond({ response_type: 'ephemeral', text: `Replied, ${body.user.id}` });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Welcome home' } }] },
    });
  });
}
