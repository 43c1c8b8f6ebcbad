/**
 * The benchmark's floor: a bare Bolt 5 app over Socket Mode whose handlers only `ack()`, for the
 * three interactions the ack benchmark sends. It runs as its own process against its own fake
 * Slack, so Access Desk's ack figures can be read as a ratio to what Bolt itself costs.
 */
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { z } from 'zod';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.ts';

const env = z
  .object({ SLACK_BOT_TOKEN: z.string(), SLACK_APP_TOKEN: z.string(), SLACK_API_URL: z.url() })
  .parse(process.env);

const clientOptions = { slackApiUrl: env.SLACK_API_URL };
const receiver = new SocketModeReceiver({
  appToken: env.SLACK_APP_TOKEN,
  logLevel: LogLevel.ERROR,
  installerOptions: { clientOptions },
});
const app = new App({ token: env.SLACK_BOT_TOKEN, receiver, clientOptions, logLevel: LogLevel.ERROR });
app.command('/newuser', async ({ ack }) => {
  await ack();
});
app.view(CALLBACK.newUser, async ({ ack }) => {
  await ack();
});
app.action(ACTION.approve, async ({ ack }) => {
  await ack();
});
await app.start();
process.once('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
