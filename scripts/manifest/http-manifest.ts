/**
 * manifest.yml (Socket Mode) → the same app for HTTP mode: Socket Mode off, and Bolt's one endpoint
 * `<base>/slack/events` as the Request URL of every slash command, of events and of interactivity.
 * Everything else, comments included, stays as manifest.yml has it, so the two cannot drift.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';

/** Bolt's HTTP receiver takes commands, events and interactions on this one path. */
export const EVENTS_PATH = 'slack/events';

// Slack sends to https Request URLs only; a path prefix (behind a reverse proxy) is kept.
const baseUrlSchema = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL, e.g. https://access-desk.example.com' })
  .transform((u) => (u.endsWith('/') ? u : `${u}/`));

export function requestUrlFor(baseUrl: string): string {
  const parsed = baseUrlSchema.safeParse(baseUrl);
  if (!parsed.success) throw new Error(`--http ${baseUrl}: ${parsed.error.issues[0]?.message}`);
  return new URL(EVENTS_PATH, parsed.data).toString();
}

export function httpManifest(socketManifestYaml: string, baseUrl: string): string {
  const url = requestUrlFor(baseUrl);
  const doc = parseDocument(socketManifestYaml);
  const commands = doc.getIn(['features', 'slash_commands']);
  if (!isSeq(commands)) throw new Error('manifest.yml has no features.slash_commands list');
  commands.items.forEach((command, i) => {
    if (!isMap(command)) throw new Error(`features.slash_commands[${i}] is not a mapping`);
    command.set('url', url);
  });
  doc.setIn(['settings', 'event_subscriptions', 'request_url'], url);
  doc.setIn(['settings', 'interactivity', 'request_url'], url);
  doc.setIn(['settings', 'socket_mode_enabled'], false);
  // manifest.yml's header (a comment on its first key) speaks of the Socket Mode file: replace it.
  const first = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  if (!isScalar(first)) throw new Error('manifest.yml does not start with a key');
  first.commentBefore =
    ` Slack app manifest for HTTP mode (SLACK_MODE=http): create the app "From an app manifest" with it.\n` +
    ` Request URLs: ${url}\n` +
    ' Generated from manifest.yml by: npm run manifest -- --http <base URL>. Regenerate, do not edit.';
  return doc.toString({ lineWidth: 100 });
}
