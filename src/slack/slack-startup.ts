/**
 * Slack's answers at start-up, turned into StartupErrors that name the setting to fix. Bolt is
 * built with `deferInitialization`, so `auth.test` runs here, where a refusal can be explained,
 * instead of surfacing later as an unhandled stack. Errors are matched by `code` rather than
 * `instanceof`: the Socket Mode client bundles its own copy of @slack/web-api.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { StartupError } from '../errors.ts';

const platformError = z.object({
  code: z.literal('slack_webapi_platform_error'),
  data: z.looseObject({ error: z.string() }),
});
const requestError = z.object({
  code: z.literal('slack_webapi_request_error'),
  // undici's "fetch failed" keeps the reason in its cause; an AggregateError's message may be empty.
  original: z
    .looseObject({
      message: z.string(),
      cause: z.looseObject({ message: z.string(), code: z.string().optional() }).optional(),
    })
    .optional(),
});
const httpError = z.object({ code: z.literal('slack_webapi_http_error'), statusCode: z.number() });
const listenError = z.object({ code: z.enum(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL']) });

/** Which setting a Slack refusal points at: the token that was sent, or the URL it went to. */
export interface SlackStartupSettings {
  token: string;
  /** Setting of the port (and host) a receiver binds, for listen errors. */
  listen?: string;
}

export function slackStartupError(e: unknown, settings: SlackStartupSettings): unknown {
  const platform = platformError.safeParse(e);
  if (platform.success)
    return new StartupError(settings.token, `refused by Slack (${platform.data.data.error})`);
  const request = requestError.safeParse(e);
  if (request.success) {
    const { original } = request.data;
    const reason = original?.cause?.message || original?.cause?.code || original?.message;
    return new StartupError('SLACK_API_URL', `unreachable: ${reason || 'request failed'}`);
  }
  const http = httpError.safeParse(e);
  if (http.success)
    return new StartupError('SLACK_API_URL', `answered HTTP ${http.data.statusCode}; is it Slack's Web API?`);
  const listen = listenError.safeParse(e);
  if (listen.success && settings.listen)
    return new StartupError(settings.listen, `cannot be bound (${listen.data.code})`);
  return e;
}

/** `app.init()`: Bolt's auth.test with the bot token. */
export async function initSlackApp(app: App): Promise<void> {
  try {
    await app.init();
  } catch (e) {
    throw slackStartupError(e, { token: 'SLACK_BOT_TOKEN' });
  }
}

/** `app.start()`: the Socket Mode connection (app token) or the HTTP receiver's port. */
export async function startSlackApp(
  app: App,
  slack: { mode: 'socket' | 'http'; port: number; host: string },
): Promise<void> {
  try {
    if (slack.mode === 'http') await app.start({ port: slack.port, host: slack.host });
    else await app.start();
  } catch (e) {
    throw slackStartupError(e, { token: 'SLACK_APP_TOKEN', listen: 'SLACK_PORT, SLACK_HOST' });
  }
}
