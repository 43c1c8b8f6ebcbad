/** The real @slack/web-api client against a fake Slack, as the fake's own tests use it. */
import { LogLevel, WebClient } from '@slack/web-api';
import type { FakeSlack } from '../../fakes/fake-slack/index.ts';

/** The bot's client: no retries (each call is one request), errors only in its log. */
export const botClient = (fake: FakeSlack): WebClient =>
  new WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });

/** Resolves to Slack's error code, or 'ok'. */
export async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    if (
      e instanceof Error &&
      'data' in e &&
      typeof e.data === 'object' &&
      e.data !== null &&
      'error' in e.data
    ) {
      return String(e.data.error);
    }
    throw e;
  }
}
