/**
 * The fetch every Slack client uses (Bolt's, the gateway's and Socket Mode's, through
 * `clientOptions.fetch`): counts each Web API call by method, with Slack's error code when the
 * answer was `ok: false`, and 429s. Slack answers a failed call with HTTP 200, so the body is read —
 * from a clone, leaving the original to the client.
 */
import type { FetchFunction } from '@slack/web-api';
import { z } from 'zod';

export interface SlackCallObserver {
  slackCall(method: string, error: string | null, rateLimited: boolean): void;
}

const envelope = z.looseObject({ ok: z.boolean(), error: z.string().optional() });

async function slackError(res: Response): Promise<string | null> {
  if (res.status === 429) return 'ratelimited';
  if (!res.ok) return `http_${res.status}`;
  const parsed = envelope.safeParse(
    await res
      .clone()
      .json()
      .catch(() => null),
  );
  if (!parsed.success) return 'unparsable_response';
  return parsed.data.ok ? null : (parsed.data.error ?? 'unknown');
}

export function slackMetricsFetch(apiUrl: string, observer: SlackCallObserver): FetchFunction {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return async (url, init) => {
    const href = String(url);
    // Bolt's respond() posts to response URLs with the same fetch: those are not Web API methods.
    const method = href.startsWith(base) ? (href.slice(base.length).split(/[?#]/)[0] ?? '') : 'response_url';
    let res: Response;
    try {
      res = await fetch(href, init);
    } catch (e) {
      observer.slackCall(method, 'network', false);
      throw e;
    }
    observer.slackCall(method, await slackError(res), res.status === 429);
    return res;
  };
}
