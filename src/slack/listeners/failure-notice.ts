/**
 * Telling a user that their click or command failed after it was acked (Slack shows nothing then):
 * privately where they acted (response_url), else in a DM, so nothing fails in silence.
 */
import type { RespondFn } from '@slack/bolt';
import { renderFailedText } from '../views/refusal.ts';
import type { ListenerDeps } from './context.ts';

export interface FailedDelivery {
  body: unknown;
  respond?: RespondFn | undefined;
}

/** The acting user's id: `user_id` on slash commands, `user.id` on interactions. */
function userOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if ('user_id' in body && typeof body.user_id === 'string') return body.user_id;
  const user = 'user' in body ? body.user : undefined;
  if (typeof user === 'object' && user !== null && 'id' in user && typeof user.id === 'string')
    return user.id;
  return undefined;
}

export async function tellFailure(
  deps: Pick<ListenerDeps, 'gateway'>,
  delivery: FailedDelivery,
): Promise<void> {
  const text = renderFailedText();
  if (delivery.respond) {
    await delivery.respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  const user = userOf(delivery.body);
  if (user) await deps.gateway.dm(user, { text });
}
