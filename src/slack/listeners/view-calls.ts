/**
 * views.open and views.update with the view as the JSON text Slack receives anyway. Given an
 * object, @slack/web-api first builds debug lines of the arguments and of the answer (a recursive
 * redact, then JSON.stringify) that are printed only at debug level, which Bolt's logger here never
 * is: a modal's whole tree walked on the thread that acks the next deliveries. A string is not.
 */
import type { WebClient } from '@slack/web-api';
import type { View } from '../slack-gateway.ts';

export async function openView(client: WebClient, triggerId: string, view: View): Promise<void> {
  await client.apiCall('views.open', { trigger_id: triggerId, view: JSON.stringify(view) });
}

/** `hash`: the view as the click saw it; Slack refuses the update if it changed since. */
export async function updateView(
  client: WebClient,
  target: { viewId: string; hash?: string },
  view: View,
): Promise<void> {
  await client.apiCall('views.update', {
    view_id: target.viewId,
    ...(target.hash ? { hash: target.hash } : {}),
    view: JSON.stringify(view),
  });
}
